from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legacy_error_errors_type_0 import LegacyErrorErrorsType0


T = TypeVar("T", bound="LegacyError")


@_attrs_define
class LegacyError:
    """The error body of the legacy platform."""

    date_time: None | str | Unset = UNSET
    """ When the error happened. """
    message: None | str | Unset = UNSET
    """ What went wrong, for people. """
    incident_id: None | str | Unset = UNSET
    """ Quote this id to Kodexa support. """
    context_path: None | str | Unset = UNSET
    """ The path that was called. """
    errors: LegacyErrorErrorsType0 | None | Unset = UNSET
    """ Messages per field of the request body. """
    stack_trace: None | str | Unset = UNSET
    """ Server stack trace, when the platform exposes it. """
    root_cause_stack_trace: list[str] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.legacy_error_errors_type_0 import LegacyErrorErrorsType0  # noqa: PLC0415

        date_time: None | str | Unset
        if isinstance(self.date_time, Unset):
            date_time = UNSET
        else:
            date_time = self.date_time

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        incident_id: None | str | Unset
        if isinstance(self.incident_id, Unset):
            incident_id = UNSET
        else:
            incident_id = self.incident_id

        context_path: None | str | Unset
        if isinstance(self.context_path, Unset):
            context_path = UNSET
        else:
            context_path = self.context_path

        errors: dict[str, Any] | None | Unset
        if isinstance(self.errors, Unset):
            errors = UNSET
        elif isinstance(self.errors, LegacyErrorErrorsType0):
            errors = self.errors.to_dict()
        else:
            errors = self.errors

        stack_trace: None | str | Unset
        if isinstance(self.stack_trace, Unset):
            stack_trace = UNSET
        else:
            stack_trace = self.stack_trace

        root_cause_stack_trace: list[str] | None | Unset
        if isinstance(self.root_cause_stack_trace, Unset):
            root_cause_stack_trace = UNSET
        elif isinstance(self.root_cause_stack_trace, list):
            root_cause_stack_trace = self.root_cause_stack_trace

        else:
            root_cause_stack_trace = self.root_cause_stack_trace

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if date_time is not UNSET:
            field_dict["dateTime"] = date_time
        if message is not UNSET:
            field_dict["message"] = message
        if incident_id is not UNSET:
            field_dict["incidentId"] = incident_id
        if context_path is not UNSET:
            field_dict["contextPath"] = context_path
        if errors is not UNSET:
            field_dict["errors"] = errors
        if stack_trace is not UNSET:
            field_dict["stackTrace"] = stack_trace
        if root_cause_stack_trace is not UNSET:
            field_dict["rootCauseStackTrace"] = root_cause_stack_trace

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        date_time: None | str | Unset = d.pop("dateTime", UNSET)

        message: None | str | Unset = d.pop("message", UNSET)

        incident_id: None | str | Unset = d.pop("incidentId", UNSET)

        context_path: None | str | Unset = d.pop("contextPath", UNSET)

        errors__data = d.pop("errors", UNSET)
        errors: LegacyErrorErrorsType0 | None | Unset
        if isinstance(errors__data, dict):
            try:
                errors_type_0 = LegacyErrorErrorsType0.from_dict(errors__data)

                errors = errors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                errors = cast(LegacyErrorErrorsType0 | None | Unset, errors__data)
        else:
            errors = errors__data

        stack_trace: None | str | Unset = d.pop("stackTrace", UNSET)

        root_cause_stack_trace__data = d.pop("rootCauseStackTrace", UNSET)
        root_cause_stack_trace: list[str] | None | Unset
        if isinstance(root_cause_stack_trace__data, list):
            try:
                root_cause_stack_trace_type_0 = cast(list[str], root_cause_stack_trace__data)

                root_cause_stack_trace = root_cause_stack_trace_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                root_cause_stack_trace = cast(list[str] | None | Unset, root_cause_stack_trace__data)
        else:
            root_cause_stack_trace = root_cause_stack_trace__data

        legacy_error = cls(
            date_time=date_time,
            message=message,
            incident_id=incident_id,
            context_path=context_path,
            errors=errors,
            stack_trace=stack_trace,
            root_cause_stack_trace=root_cause_stack_trace,
        )

        legacy_error.additional_properties = d
        return legacy_error

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# Imported here, once the class above exists, for from_dict: see the note in the template.
from ..models.legacy_error_errors_type_0 import LegacyErrorErrorsType0
