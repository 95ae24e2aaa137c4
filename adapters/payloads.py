"""The data converter: pydantic JSON for our dataclasses, with one process-wide type-adapter cache.

The worker passes this module through the workflow sandbox; otherwise the sandbox re-imports it for
every workflow instance and the cache is empty each time.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import TypeAdapter
from temporalio.contrib.pydantic import PydanticJSONPlainPayloadConverter, PydanticPayloadConverter
from temporalio.converter import DataConverter

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


class CasePayloadConverter(PydanticPayloadConverter):
    """Pydantic JSON for dataclasses, dates and enums, with the shared type-adapter cache."""

    def __init__(self) -> None:
        super().__init__()
        shared = _SharedCachePydanticJSON()
        self.converters = {
            encoding: shared if isinstance(c, PydanticJSONPlainPayloadConverter) else c
            for encoding, c in self.converters.items()
        }


data_converter = DataConverter(payload_converter_class=CasePayloadConverter)
