"""``coopcare stv``: a member recounts an election from its BLT file."""

import json
import os
import subprocess
import sys

import pytest

from coopcare.votecount.cli import main

# 2 seats; 40 Z>X>W, 4 X>Y, 33 Y, 34 W (see test_scottish): elected Z, then Y.
ZXYW = """4 2
40 4 2 1 0
4 2 3 0
33 3 0
34 1 0
0
"W"
"X"
"Y"
"Z"
"Example"
"""

# 1 seat; 5 A, 3 B>C, 3 C: B and C tie at every stage, a lot decides who is excluded.
TIED = """3 1
5 1 0
3 2 3 0
3 3 0
0
"A"
"B"
"C"
"Tie"
"""


@pytest.fixture
def blt(tmp_path):
    def write(text: str, name: str = "election.blt") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_prints_the_stages_then_the_elected_in_order(blt, capsys):
    assert main([blt(ZXYW)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("Elected, in order of election:\n1. Z\n2. Y")
    assert "Stage 2: Surplus of Z (2.00000) transferred" in out
    assert "quota 38.00000" in out


def test_json_has_the_result_and_every_stage(blt, capsys):
    assert main([blt(ZXYW), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"elected", "method", "quota", "stages", "lot"} <= data.keys()
    assert data["elected"] == ["Z", "Y"]
    assert data["method"] == "scottish"
    assert data["quota"] == "38.00000"
    assert data["lot"] is None
    stage = data["stages"][1]
    assert stage["action"] == "surplus"
    assert stage["votes"]["X"] == "6.00000"
    assert stage["transfers"]["X"] == "2.00000"
    assert {"non_transferable", "non_transferable_total", "elected", "excluded"} <= stage.keys()


def test_seats_and_method_can_be_chosen(blt, capsys):
    assert main([blt(ZXYW), "--seats", "1", "--method", "meek", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == "meek"
    assert data["seats"] == 1
    assert "keep_values" in data["stages"][0]


def test_a_needed_lot_is_reported_in_one_line_and_a_partial_result(blt, capsys):
    path = blt(TIED)
    assert main([path, "--json"]) == 3
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["elected"] == []
    assert data["lot"]["needed"] is True
    assert data["lot"]["among"] == ["B", "C"]
    assert data["lot"]["purpose"] == "exclude"
    assert data["lot"]["stage"] == 2
    message = captured.err.strip()
    assert "\n" not in message
    assert "a lot is needed at stage 2 (rule 51(2)(b))" in message
    assert "to decide which of them is excluded" in message
    assert "B and C" in message and "--lot NAME" in message


def test_the_lot_drawn_completes_the_count(blt, capsys):
    path = blt(TIED)
    assert main([path, "--json", "--lot", "B"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["elected"] == ["C"]
    assert data["lot"] == {
        "needed": False,
        "drawn": [
            {"number": 1, "purpose": "exclude", "among": ["B", "C"], "chosen": "B", "stage": 2}
        ],
    }
    assert main([path, "--lot", "C"]) == 0
    assert "Lot 1 (stage 2, among B and C): C" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.blt"], "missing.blt: no such file"),
        (["{good}", "--seats", "0"], "the number of seats must be at least 1"),
        (["{good}", "--seats", "5"], "5 seats are to be filled but only 4 candidates stand"),
        (["{good}", "--method", "borda"], "invalid choice: 'borda'"),
        (["{good}", "--lot", "Q"], "the count needed 0 lot(s) but 1 were given"),
        (["{bad}"], "line 2: equal rankings (1=2) cannot be counted"),
        ([], "the following arguments are required: file"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_status_2(blt, capsys, args, message):
    good, bad = blt(ZXYW), blt('2 1\n1 1=2 0\n0\n"A"\n"B"\n"T"\n', "bad.blt")
    argv = [a.format(good=good, bad=bad) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("coopcare stv: ")
    assert message in err


def test_coopcare_stv_runs_without_django_settings(blt):
    """``coopcare stv`` is dispatched before Django is set up: no settings module, no secret
    key, and Django is never imported."""
    path = blt(ZXYW)
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY")}
    script = (
        "import sys\n"
        "from coopcare.cli import main\n"
        f"sys.argv = ['coopcare', 'stv', {path!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    assert 'django' not in sys.modules, 'django was imported'\n"
        "    raise\n"
    )
    run = subprocess.run(  # noqa: S603 - runs this Python on a script written above
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip().endswith("1. Z\n2. Y")
