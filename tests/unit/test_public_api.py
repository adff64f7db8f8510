"""The public surface: what ``kodexa_platform`` and ``kodexa_platform.models`` export."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

import kodexa_platform
import kodexa_platform.models
from kodexa_platform import _exceptions


def _isort_key(name: str) -> tuple[int, str]:
    # Ruff's RUF022 order: SCREAMING_CASE constants, then CamelCase classes, then the rest.
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


@pytest.mark.parametrize(
    "module", [kodexa_platform, kodexa_platform.models, _exceptions], ids=lambda m: m.__name__
)
def test_all_is_sorted_unique_and_every_name_resolves(module: ModuleType) -> None:
    names = list(module.__all__)
    assert names == sorted(names, key=_isort_key)
    assert len(names) == len(set(names))
    for name in names:
        assert getattr(module, name) is not None, name
    fresh = importlib.import_module(module.__name__)
    namespace: dict[str, object] = {}
    exec(f"from {fresh.__name__} import *", namespace)  # noqa: S102 - checks star-import
    assert set(namespace) - {"__builtins__"} == set(names)


def test_every_exception_is_exported_from_the_package() -> None:
    assert set(_exceptions.__all__) <= set(kodexa_platform.__all__)


def test_exception_tree() -> None:
    k = kodexa_platform
    assert issubclass(k.APITimeoutError, k.APIConnectionError)
    for cls in (k.APIConnectionError, k.APIStatusError, k.APIResponseValidationError):
        assert issubclass(cls, k.APIError)
    for cls in (
        k.BadRequestError,
        k.AuthenticationError,
        k.PermissionDeniedError,
        k.NotFoundError,
        k.ConflictError,
        k.UnprocessableEntityError,
        k.RateLimitError,
        k.InternalServerError,
    ):
        assert issubclass(cls, k.APIStatusError)
    for name in _exceptions.__all__:
        assert issubclass(getattr(k, name), k.KodexaError)


def test_models_are_the_generated_classes() -> None:
    from kodexa_platform_client import models as generated

    assert kodexa_platform.models.Membership is generated.Membership
    assert kodexa_platform.models.Organization is generated.Organization


def test_the_version_is_the_installed_distributions_and_in_the_user_agent() -> None:
    from importlib.metadata import version

    assert kodexa_platform.__version__ == version("kodexa-platform")
    assert f"kodexa-platform-python/{kodexa_platform.__version__} " in kodexa_platform.USER_AGENT
