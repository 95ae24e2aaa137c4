"""The data converter: pydantic JSON for our dataclasses, with one process-wide type-adapter cache.

The worker passes this module through the workflow sandbox; otherwise the sandbox re-imports it for
every workflow instance and the cache is empty each time.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from pydantic import TypeAdapter
from temporalio.contrib.pydantic import PydanticJSONPlainPayloadConverter, PydanticPayloadConverter
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    EncodingPayloadConverter,
    PayloadCodec,
)

# One process-wide cache. The SDK builds a payload converter per workflow instance, so its own
# per-instance cache rebuilt every pydantic schema for every new workflow and every continued run
# (measured: ~18% of worker CPU in the intake benchmark).
_TYPE_ADAPTERS: functools._lru_cache_wrapper[TypeAdapter[Any]] = functools.lru_cache(maxsize=1024)(TypeAdapter)


class _SharedCachePydanticJSON(PydanticJSONPlainPayloadConverter):
    def __init__(self) -> None:
        super().__init__()
        self._type_adapter = _TYPE_ADAPTERS

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._type_adapter = _TYPE_ADAPTERS


@functools.cache
def _converters() -> dict[bytes, EncodingPayloadConverter]:
    shared = _SharedCachePydanticJSON()
    return {
        encoding: shared if isinstance(c, PydanticJSONPlainPayloadConverter) else c
        for encoding, c in PydanticPayloadConverter().converters.items()
    }


class CasePayloadConverter(PydanticPayloadConverter):
    """Pydantic JSON for dataclasses, dates and enums, with the shared type-adapter cache.

    The encoding converters are built once per process: the SDK constructs a payload converter for every workflow
    activation and activity, and the pydantic base class builds two schema serializers each time (profiled)."""

    def __init__(self) -> None:
        self.converters = dict(_converters())


data_converter = DataConverter(payload_converter_class=CasePayloadConverter)


def converter_with(codec: PayloadCodec | None) -> DataConverter:
    """``data_converter`` with ``codec`` applied to every payload; ``None`` gives ``data_converter`` itself.

    With a codec, failure messages and stack traces also move into an encoded (hence encrypted) attribute: they
    are stored in plaintext otherwise and can quote inputs (platform.md §3). Clients built with this converter
    decode them back transparently; raw history readers must use ``data_converter.decode_failure``.
    """
    if codec is None:
        return data_converter
    return dataclasses.replace(
        data_converter, payload_codec=codec, failure_converter_class=DefaultFailureConverterWithEncodedAttributes
    )
