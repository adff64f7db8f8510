"""Every default of the client, in one place."""

from __future__ import annotations

import httpx

DEFAULT_BASE_URL = "https://platform.kodexa.ai"

#: Environment variables read when the constructor is not given a value. The platform's own
#: SDK reads KODEXA_URL and KODEXA_ACCESS_TOKEN, so both spellings of the key are honoured.
ENV_BASE_URL = "KODEXA_URL"
ENV_API_KEYS = ("KODEXA_API_KEY", "KODEXA_ACCESS_TOKEN")
ENV_LOG = "KODEXA_LOG"

API_KEY_HEADER = "x-api-key"

#: A dead connection fails fast; a slow listing of a large organization may legitimately take
#: a while to answer, so reads get longer.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)

#: Retries after the first attempt, so a call makes at most three requests by default.
DEFAULT_MAX_RETRIES = 2

#: Backoff: 0.5 s, 1 s, 2 s ... capped at 8 s, plus up to 0.5 s of jitter.
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
RETRY_JITTER = 0.5

#: A server asking (through Retry-After) to wait longer than this is not waited for: the
#: call fails with the status error instead of hanging a caller for minutes.
MAX_RETRY_AFTER = 60.0

#: Statuses that say "try again": the request was not processed or may be retried.
RETRYABLE_STATUSES = frozenset({408, 429, 502, 503, 504})

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

#: The largest response body read, after decompression. A listing page of 1,000 items is a
#: few megabytes; a body past this is a broken or hostile server (a compression bomb, say).
MAX_RESPONSE_BYTES = 64 * 1024 * 1024

#: The longest timeout accepted, per phase. Anything longer is a mistake, and a huge number
#: overflows the socket layer.
MAX_TIMEOUT = 24 * 60 * 60.0
