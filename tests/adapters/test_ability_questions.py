import ast
import json
import operator
import re
from collections import Counter
from pathlib import Path

import pytest

BANK = Path(__file__).resolve().parents[2] / "domain" / "data" / "ability_questions.json"
CATEGORIES = {"ARITHMETIC", "INSTRUCTIONS", "READING"}


@pytest.fixture(scope="module")
def bank() -> dict:
    return json.loads(BANK.read_text(encoding="utf-8"))


def test_structure(bank):
    assert bank["version"] == "2023.1"
    questions = bank["questions"]
    assert len(questions) >= 90
    assert len({q["id"] for q in questions}) == len(questions)
    counts = Counter(q["category"] for q in questions)
    assert set(counts) == CATEGORIES
    assert all(n >= 30 for n in counts.values())
    for q in questions:
        assert set(q) == {"id", "category", "prompt", "choices", "answer"}
        assert q["prompt"].strip()
        assert len(q["choices"]) == 4 and len(set(q["choices"])) == 4, q["id"]
        assert all(isinstance(c, str) and c.strip() for c in q["choices"])
        assert isinstance(q["answer"], int) and 0 <= q["answer"] < 4
    assert set(Counter(q["answer"] for q in questions)) == {0, 1, 2, 3}


def test_reading_questions_carry_a_passage(bank):
    for q in bank["questions"]:
        if q["category"] == "READING":
            assert len(q["prompt"]) > 200 and "\n\n" in q["prompt"], q["id"]


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _eval(expression: str) -> float:
    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        raise ValueError(expression)

    return walk(ast.parse(expression.replace("×", "*").replace(":", "/"), mode="eval").body)


def test_arithmetic_answers_are_right(bank):
    checked = 0
    for q in bank["questions"]:
        correct = q["choices"][q["answer"]]
        if m := re.fullmatch(r"Berapakah hasil dari ([0-9 +\-×:()]+)\?", q["prompt"]):
            assert _eval(m[1]) == int(correct), q["id"]
            checked += 1
        elif m := re.fullmatch(
            r"Mulailah dari angka (\d+)\. Tambahkan (\d+), kalikan hasilnya dengan (\d+), lalu kurangi (\d+)\..*",
            q["prompt"],
        ):
            start, plus, times, minus = map(int, m.groups())
            assert (start + plus) * times - minus == int(correct), q["id"]
            checked += 1
    assert checked >= 20
