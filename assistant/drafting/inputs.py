"""Typed draft inputs: common fields, row helpers, Vietnamese validation messages and field specs.

Each draft kind has a pydantic model (``kinds.py``) derived from ``DraftInput``. Labels are the
``title`` of each field; they name the field in error messages, in the web form and in the bot.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic.fields import FieldInfo

from ..domain.errors import InvalidInputError
from ..domain.models import DraftField
from ..domain.vntext import nfc


def _clean_text(value: Any) -> Any:
    """NFC, one line, no characters the block markup gives a meaning to at a line start."""
    if isinstance(value, str):
        text = re.sub(r"\s+", " ", nfc(value)).strip()
        text = text.replace("|", "/").replace("::", ":").replace("<br>", " ")
        return text.lstrip("#+ ").strip()
    return value


def _split_lines(value: Any) -> Any:
    """A multi-line string (web form, bot) becomes a list of its non-empty lines."""
    if isinstance(value, str):
        return [line.strip(" -•\t") for line in nfc(value).splitlines() if line.strip(" -•\t")]
    return value


def _parse_date(value: Any) -> Any:
    """``dd/mm/yyyy`` (as officers write dates) or ISO ``yyyy-mm-dd``; empty means not known yet."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if m:
            day, month, year = (int(g) for g in m.groups())
            try:
                return dt.date(year, month, day)
            except ValueError as exc:
                raise ValueError("ngày không tồn tại") from exc
    return value


def _default_year() -> int:
    return dt.date.today().year


Text = Annotated[str, BeforeValidator(_clean_text)]
RequiredText = Annotated[str, BeforeValidator(_clean_text), Field(min_length=1)]
TextList = Annotated[list[Text], BeforeValidator(_split_lines)]
DateValue = Annotated[dt.date | None, BeforeValidator(_parse_date)]
SignAs = Literal["", "TM.", "KT.", "Q."]
M = typing.TypeVar("M", bound=BaseModel)


class Row(BaseModel):
    """One row of a list of objects (a step, a member…).

    Accepts a mapping, or one line ``"a | b | c"`` whose cells fill the fields in order.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _from_line(cls, data: Any) -> Any:
        if isinstance(data, str):
            cells = [c.strip() for c in nfc(data).split("|")]
            return {name: cell for name, cell in zip(cls.model_fields, cells, strict=False) if cell}
        return data


class DraftInput(BaseModel):
    """Trường chung của mọi loại dự thảo."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agency: RequiredText = Field(title="Tên cơ quan", description="Ví dụ: Ủy ban nhân dân xã Tân Phú")
    parent_agency: Text = Field(
        "", title="Cơ quan chủ quản", description="Ví dụ: UBND tỉnh Đồng Nai; để trống nếu không có"
    )
    place: RequiredText = Field(
        title="Địa danh", description="Địa danh ghi ở dòng ngày tháng, ví dụ: Tân Phú"
    )
    head_name: RequiredText = Field(title="Họ tên người đứng đầu", description="Người ký văn bản")
    head_title: RequiredText = Field(title="Chức vụ người đứng đầu", description="Ví dụ: Chủ tịch, Giám đốc")
    year: int = Field(default_factory=_default_year, ge=2000, le=2100, title="Năm")
    agency_abbr: Text = Field(
        "", title="Ký hiệu cơ quan", description="Chữ viết tắt trong số, ký hiệu văn bản, ví dụ: UBND, SKHCN"
    )
    province: Text = Field(
        "", title="Tỉnh, thành phố", description="Dùng để tra thời hạn trong kế hoạch của tỉnh"
    )
    sign_as: SignAs | None = Field(
        None, title="Quyền hạn ký", description="TM., KT., Q. hoặc để trống; mặc định theo loại văn bản"
    )
    signer_name: Text = Field(
        "", title="Họ tên người ký", description="Khi ký thay (KT.); mặc định người đứng đầu"
    )
    signer_title: Text = Field(
        "", title="Chức vụ người ký", description="Khi ký thay (KT.), ví dụ: Phó Chủ tịch"
    )
    recipients: TextList = Field(default_factory=list, title="Nơi nhận", description="Mỗi dòng một nơi nhận")
    extra_bases: TextList = Field(
        default_factory=list,
        title="Căn cứ bổ sung",
        description="Văn bản căn cứ khác, mỗi dòng một văn bản (ví dụ quyết định quy định chức năng, nhiệm vụ)",
    )

    @model_validator(mode="after")
    def _signer_when_deputy(self) -> DraftInput:
        if self.sign_as == "KT." and not (self.signer_name and self.signer_title):
            raise ValueError(
                "khi ký thay (KT.) cần Họ tên người ký (signer_name) và Chức vụ người ký (signer_title)"
            )
        return self


# --------------------------------------------------------------------------- errors

_TYPE_HINTS = {
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "date_parsing": "phải là ngày dạng dd/mm/yyyy",
    "date_from_datetime_parsing": "phải là ngày dạng dd/mm/yyyy",
    "date_type": "phải là ngày dạng dd/mm/yyyy",
    "list_type": "phải là danh sách",
    "string_type": "phải là văn bản",
    "bool_parsing": "phải là có/không (true/false)",
    "bool_type": "phải là có/không (true/false)",
    "model_type": "phải gồm các trường con",
    "dict_type": "phải gồm các trường con",
}


def _field_label(model: type[BaseModel] | None, name: str) -> str:
    if model is not None and name in model.model_fields:
        title = model.model_fields[name].title
        return f"{title} ({name})" if title else name
    return name


def _item_model(info: FieldInfo) -> type[BaseModel] | None:
    """The Row model of a list-of-rows field, if any."""
    ann = info.annotation
    for arg in typing.get_args(ann) or ():
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _describe_loc(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    current: type[BaseModel] | None = model
    for item in loc:
        if isinstance(item, int):
            parts.append(f"mục {item + 1}")
            continue
        name = str(item)
        if current is not None and name in current.model_fields:
            parts.append(_field_label(current, name))
            current = _item_model(current.model_fields[name])
        elif parts:  # pydantic's own loc parts (function names of validators…)
            continue
        else:
            parts.append(name)
    return " › ".join(parts) if parts else "dữ liệu"


def vietnamese_errors(model: type[BaseModel], exc: ValidationError) -> InvalidInputError:
    """One ``InvalidInputError`` that lists every problem by its Vietnamese label."""
    missing: list[str] = []
    unknown: list[str] = []
    invalid: list[str] = []
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        where = _describe_loc(model, loc)
        etype = err.get("type", "")
        value = err.get("input")
        blank = isinstance(value, str) and not value.strip()
        if etype == "missing" or etype in ("string_too_short", "too_short") and blank:
            missing.append(where)
        elif etype == "extra_forbidden":
            unknown.append(str(loc[-1]) if loc else where)
        elif etype in _TYPE_HINTS:
            invalid.append(f"{where} {_TYPE_HINTS[etype]}")
        elif etype == "too_short":
            invalid.append(f"{where} cần ít nhất {err.get('ctx', {}).get('min_length', 1)} mục")
        elif etype == "literal_error":
            invalid.append(
                f"{where} chỉ nhận một trong các giá trị: {err.get('ctx', {}).get('expected', '')}"
            )
        elif etype in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            ctx = err.get("ctx", {})
            bound = next(iter(ctx.values()), "")
            word = "không nhỏ hơn" if etype.startswith("greater") else "không lớn hơn"
            invalid.append(f"{where} phải {word} {bound}")
        elif etype == "value_error":
            reason = str(err.get("msg", "")).removeprefix("Value error, ")
            invalid.append(f"{where}: {reason}" if loc else reason)
        else:
            invalid.append(f"{where} không hợp lệ")
    parts: list[str] = []
    if missing:
        parts.append("Thiếu trường bắt buộc: " + "; ".join(missing))
    if invalid:
        parts.append("Giá trị không hợp lệ: " + "; ".join(invalid))
    if unknown:
        parts.append("Trường không được hỗ trợ: " + ", ".join(unknown))
    return InvalidInputError(". ".join(parts) + ". Hãy bổ sung hoặc sửa các trường trên rồi thử lại.")


def validate_input(model: type[M], fields: dict[str, Any]) -> M:
    """Validate ``fields`` against ``model``; raise ``InvalidInputError`` in Vietnamese."""
    if not isinstance(fields, dict):
        raise InvalidInputError("Dữ liệu dự thảo phải là một bảng các trường (tên trường: giá trị).")
    cleaned = {k: v for k, v in fields.items() if v is not None}
    try:
        return model.model_validate(cleaned)
    except ValidationError as exc:
        raise vietnamese_errors(model, exc) from exc


# --------------------------------------------------------------------------- specs


def _field_type(info: FieldInfo) -> str:
    ann = info.annotation
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if origin is list:
        return "steps" if args and isinstance(args[0], type) and issubclass(args[0], BaseModel) else "list"
    if origin in (typing.Union, types.UnionType):
        ann = next((a for a in args if a is not type(None)), str)
    if ann is int:
        return "int"
    if ann is dt.date:
        return "date"
    if ann is bool:
        return "bool"
    if info.json_schema_extra and isinstance(info.json_schema_extra, dict):
        return str(info.json_schema_extra.get("ui", "text"))
    return "text"


def _row_help(info: FieldInfo) -> str:
    row = _item_model(info)
    if row is None:
        return ""
    cols = ", ".join(f"{f.title} ({n})" for n, f in row.model_fields.items())
    return f"Mỗi mục gồm: {cols}; hoặc một dòng 'ô 1 | ô 2 | …' theo thứ tự đó."


def field_specs(model: type[BaseModel]) -> tuple[DraftField, ...]:
    """``DraftField``s of a kind's input model (required ones first, in declaration order)."""
    out: list[DraftField] = []
    for name, info in model.model_fields.items():
        required = info.is_required()
        default: object | None = None
        if not required:
            default = info.get_default(call_default_factory=True)
            if isinstance(default, BaseModel):
                default = default.model_dump()
            elif isinstance(default, list):
                default = [d.model_dump() if isinstance(d, BaseModel) else d for d in default]
        help_text = " ".join(p for p in (info.description or "", _row_help(info)) if p)
        out.append(
            DraftField(
                name=name,
                label=info.title or name,
                type=_field_type(info),
                required=required,
                help=help_text,
                default=default,
            )
        )
    out.sort(key=lambda f: not f.required)
    return tuple(out)
