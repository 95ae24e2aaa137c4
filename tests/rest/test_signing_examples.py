"""The Python and JavaScript signing examples of docs/partners.md, run as written against a live server."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from devstack.sandbox import provision
from tests.integration.test_live_and_complaints import served

DOC = (Path(__file__).parents[2] / "docs" / "partners.md").read_text()


def block(language: str) -> str:
    match = re.search(rf"```{language}\n(.*?)```", DOC, re.S)
    assert match, language
    return match.group(1)


async def run_example(stack, language: str, command: list[str], prelude: str) -> dict:
    creds = await provision(stack.engine, "LPK-DOCS", "DP-DOCS")
    # One test code per language: the same body signed in the same second is a replay, and refused as one.
    code = creds["lp"]["test_codes"]["TC1-001-200" if language == "python" else "TC2-001-200"]
    async with served(stack.app) as port:
        source = prelude.format(
            client=json.dumps("LPK-DOCS"),
            key=json.dumps(creds["lp"]["sign_key"]),
            base=json.dumps(f"http://127.0.0.1:{port}"),
        ) + block(language).replace("PRAT-AB12CD", code)
        done = await asyncio.to_thread(
            subprocess.run, [*command, source], capture_output=True, text=True, timeout=60, check=False
        )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1].removeprefix("b'").removesuffix("'"))
    assert answer["success"] is True and answer["data"]["redeem_code"] == code, answer
    return answer


async def test_python_example(stack):
    await run_example(stack, "python", [sys.executable, "-c"], "CLIENT, SIGN_KEY, BASE = {client}, {key}, {base}\n")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is installed by .ci/run")
async def test_javascript_example(stack):
    await run_example(stack, "js", ["node", "-e"], "const CLIENT = {client}, SIGN_KEY = {key}, BASE = {base};\n")
