"""Registering the search attributes the workflows set (``CaseStage``, ``Province``) in the worker's namespace.

A self-hosted cluster lets a client with operator rights add them; Temporal Cloud and clusters with an
authorizer usually refuse (PERMISSION_DENIED, or UNIMPLEMENTED for the operator API on Cloud). Then the worker
logs what is missing and the exact command an operator must run, and carries on: workflows that set a missing
attribute fail their workflow task (visible in the Web UI) until it exists, and resume on their own afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.service import RPCError, RPCStatusCode

logger = logging.getLogger(__name__)

_REFUSED = (RPCStatusCode.PERMISSION_DENIED, RPCStatusCode.UNAUTHENTICATED, RPCStatusCode.UNIMPLEMENTED)


def operator_commands(namespace: str, keys: Sequence[SearchAttributeKey]) -> list[str]:
    """What an operator runs to create ``keys`` (the Temporal CLI; ``tcld`` on Temporal Cloud)."""
    commands = [
        f"temporal operator search-attribute create --namespace {namespace} --name {k.name} --type {k._metadata_type}"
        for k in keys
    ]
    commands += [
        f"tcld namespace search-attributes add --namespace {namespace} --search-attribute "
        f'"{k.name}={k._metadata_type}"'
        for k in keys
    ]
    return commands


async def ensure_search_attributes(client: Client, keys: Sequence[SearchAttributeKey]) -> list[str]:
    """Add the attributes of ``keys`` that the namespace lacks; the names still missing afterwards (empty when all
    exist). Never raises for a refusal: it is logged with the commands to run."""
    namespace = client.namespace
    missing = list(keys)  # as far as we know, until the namespace tells
    try:
        listed = await client.operator_service.list_search_attributes(ListSearchAttributesRequest(namespace=namespace))
        missing = [k for k in keys if k.name not in listed.custom_attributes]
        if not missing:
            return []
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(
                namespace=namespace,
                search_attributes={k.name: int(k.indexed_value_type) for k in missing},  # type: ignore[misc]
            )
        )
    except RPCError as err:
        if err.status not in _REFUSED:
            raise
        logger.error(
            "not allowed to register search attributes %s in namespace %s (%s); workflows that set them will fail "
            "their workflow tasks until an operator creates them. Run: %s",
            ", ".join(k.name for k in missing),
            namespace,
            err.status.name,
            " ; ".join(operator_commands(namespace, missing)),
        )
        return [k.name for k in missing]
    logger.info("registered search attributes %s in namespace %s", ", ".join(k.name for k in missing), namespace)
    return []
