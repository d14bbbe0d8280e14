"""The main job as a learner runs it, and the import that must stay light."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from test_tensorflow_logs import assert_no_tensorflow_notices

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*args, **env):
    full_env = {**os.environ, **env, "PYTHONPATH": ROOT}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=full_env, timeout=300
    )


@pytest.mark.parametrize(
    "backend", ["numpy", pytest.param("tensorflow", marks=pytest.mark.tensorflow)]
)
@pytest.mark.slow
def test_main_job_quick(backend, tmp_path):
    if backend == "tensorflow":
        pytest.importorskip("tensorflow")
    result = run("-m", "lesson_utils", "--quick", "--out", str(tmp_path), LESSON_BACKEND=backend)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert any(line.startswith("Loaded MNIST from") for line in lines)
    assert lines[-1].startswith("Test accuracy: ") and f"({backend} backend" in lines[-1]
    assert (tmp_path / "training_curves.png").exists()
    # No TensorFlow start-up notice (absl, oneDNN) nor any other C++ log line (#12).
    assert_no_tensorflow_notices(result.stderr)


def test_numpy_backend_never_imports_tensorflow():
    code = (
        "import os, sys; os.environ['LESSON_QUICK'] = '1';"
        "from lesson_utils.cli import main; main(['--source', 'synthetic']);"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    result = run("-c", code, LESSON_BACKEND="numpy")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_import_is_light():
    result = run(
        "-c",
        "import sys, lesson_utils as lu; lu.load_mnist; lu.NumPyCNN;"
        "print(sorted(m for m in ('tensorflow', 'keras', 'matplotlib') "
        "if m in sys.modules))",
    )
    assert result.stdout.strip() == "[]", result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--epochs", "0"], "argument --epochs: expected a number of at least 1, got 0"),
        (["--batch-size", "abc"], "argument --batch-size: expected a whole number, got 'abc'"),
        (["--dataset", "cifar"], "argument --dataset: invalid choice: 'cifar'"),
        (["--source", "web"], "argument --source: invalid choice"),
    ],
)
def test_bad_options_give_one_line(args, message):
    result = run("-m", "lesson_utils", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unavailable_source_and_bad_environment_are_one_line(tmp_path):
    result = run("-m", "lesson_utils", "--source", "local", "--data-dir", str(tmp_path))
    assert result.returncode == 1 and "holds no mnist copy" in result.stderr
    assert "Traceback" not in result.stderr
    result = run("-m", "lesson_utils", "--quick", LESSON_BACKEND="jax")
    assert result.returncode == 1 and "LESSON_BACKEND is 'jax'" in result.stderr


# main() in a fresh Python, then whether it got as far as importing TensorFlow.
MAIN_THEN_REPORT = (
    "import sys; from lesson_utils.cli import main; code = main(sys.argv[1:]); "
    "print(code, 'tensorflow' in sys.modules)"
)


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--source", "local"],
            {},
            "error: --source local needs a folder: give --data-dir FOLDER or set LESSON_DATA_DIR",
        ),
        (
            ["--data-dir", "/nonexistent"],
            {},
            "error: --data-dir is '/nonexistent', which is not a folder; give the folder",
        ),
        ([], {"LESSON_QUICK": "yes"}, "error: LESSON_QUICK is 'yes'; expected 1"),
        (
            ["--source", "local"],
            {"LESSON_DATA_DIR": "/nonexistent"},
            "error: LESSON_DATA_DIR is '/nonexistent', which is not a folder",
        ),
        (["--source", "local", "--data-dir", "EMPTY"], {}, "holds no mnist copy"),
        (["--out", "/proc/lesson"], {}, "error: --out is '/proc/lesson', a folder that cannot"),
        (["--out", "FILE"], {}, "which is a file; give a folder"),
    ],
)
def test_bad_settings_and_data_options_answer_before_tensorflow_is_imported(
    args, env, message, tmp_path
):
    """The one-line error comes at once, naming the command line's options (#12)."""
    (tmp_path / "a_file").write_text("kept")
    replace = {"EMPTY": str(tmp_path), "FILE": str(tmp_path / "a_file")}
    args = [replace.get(a, a) for a in args]
    result = run("-c", MAIN_THEN_REPORT, *args, LESSON_BACKEND="tensorflow", **env)
    assert result.stdout.strip() == "1 False", result.stderr  # failed, TensorFlow never imported
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "data_dir=" not in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "a_file").read_text() == "kept"  # a bad --out loses nothing


def test_help_explains_each_option():
    result = run("-m", "lesson_utils", "--help")
    for option in (
        "--epochs",
        "--batch-size",
        "--dataset",
        "--source",
        "--data-dir",
        "--quick",
        "--seed",
        "--out",
    ):
        assert option in result.stdout


def test_site_build_without_its_tools_says_what_to_install():
    """The README's site command, before requirements-docs.txt: one line, no traceback."""
    code = (
        "import runpy, sys; sys.modules['mkdocs'] = None; sys.argv = ['scripts/build_site.py'];"
        "runpy.run_path('scripts/build_site.py', run_name='__main__')"
    )
    result = run("-c", code)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "scripts/build_site.py needs the site's tools (mkdocs missing here): "
        "pip install -r requirements-docs.txt"
    ]


def test_quick_flag_is_passed_as_a_value_not_written_into_the_environment(monkeypatch, capsys):
    """--quick reaches the workflow as quick=True; os.environ is left as it was."""
    from lesson_utils import cli

    monkeypatch.setenv("LESSON_BACKEND", "numpy")
    monkeypatch.delenv("LESSON_QUICK", raising=False)
    assert cli.main(["--quick", "--source", "synthetic"]) == 0
    assert "LESSON_QUICK" not in os.environ
    out = capsys.readouterr().out
    assert "Backend: numpy (quick mode)" in out and "(quick mode: a subset)" in out


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ([sys.executable, "-m", "lesson_utils"], "python -m lesson_utils"),
        ([os.path.join(os.path.dirname(sys.executable), "lesson-cnn")], "lesson-cnn"),
    ],
)
def test_help_names_the_command_the_learner_typed(command, name):
    """Installing the package adds `lesson-cnn`; each way in names itself in --help."""
    assert os.path.exists(command[0]), f"{command[0]} is missing: pip install -e ."
    result = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: {name} ")
    bad = subprocess.run([*command, "--epochs", "0"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith(f"{name}: error: argument --epochs")
