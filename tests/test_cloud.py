"""A fork deploys to Streamlit Community Cloud as it is.

Community Cloud installs from the first dependency file it finds (uv.lock, Pipfile,
environment.yml, requirements.txt, then pyproject.toml read as Poetry's) and runs
``streamlit run dashboard.py`` from the repository. The slow tests do the same in a fresh
virtual environment, boot the app headless, and check that it wrote nothing to the repository.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The files Community Cloud looks for, in the order it prefers them.
CLOUD_DEPENDENCY_FILES = ("uv.lock", "Pipfile", "environment.yml", "requirements.txt")
# What installing and running may leave behind: git ignores it, and it is not the app writing.
BUILD_LEFTOVERS = re.compile(r"(^|/)(__pycache__|[^/]+\.egg-info|build)/$")


def _requirements() -> list[str]:
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def test_cloud_installs_from_requirements_txt() -> None:
    present = [name for name in CLOUD_DEPENDENCY_FILES if (ROOT / name).exists()]
    assert present == ["requirements.txt"], f"Cloud would read {present[0]} first"


def test_requirements_defer_to_pyproject() -> None:
    # One source of truth: [project.dependencies]. Editable: the app runs the repository's code.
    assert _requirements() == ["-e ."]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~ \[]", dep, maxsplit=1)[0] for dep in project["dependencies"]}
    assert {"streamlit", "plotly", "pandas"} <= names
    assert project["requires-python"] == ">=3.11"


def test_config_is_there_and_needs_no_secrets() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    # Cloud chooses the address and port itself.
    assert "port" not in config.get("server", {})
    assert "address" not in config.get("server", {})
    assert not (ROOT / ".streamlit" / "secrets.toml").exists()
    code = [ROOT / "dashboard.py", *ROOT.glob("pages/*.py"), *ROOT.glob("chronology/**/*.py")]
    assert len(code) > 40, f"only {len(code)} files of app code found"
    for path in code:
        assert "secrets" not in path.read_text(encoding="utf-8"), f"{path.name} reads secrets"


def _git_status(*extra: str) -> list[str]:
    out = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.splitlines()


def _clean_env(venv: Path) -> dict[str, str]:
    """The environment of a fresh machine: no active venv, no PYTHONPATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME") and not k.startswith("STREAMLIT_")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@dataclass
class CloudEnv:
    python: Path
    env: dict[str, str]
    ignored_before: set[str]


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CloudEnv]:
    """A fresh virtual environment with the app installed from requirements.txt, as Cloud does."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to check that the app leaves the repository unchanged")
    status = _git_status()
    ignored = set(_git_status("--ignored"))
    venv = tmp_path_factory.mktemp("cloud") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = _clean_env(venv)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    # New entries only: in a shared work tree someone may commit meanwhile.
    changed = set(_git_status()) - set(status)
    assert not changed, f"installing changed files of the repository: {changed}"
    yield CloudEnv(python, env, ignored)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _health(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


@pytest.mark.slow
def test_installed_package_finds_the_bundled_data(cloud: CloudEnv, tmp_path: Path) -> None:
    script = "import chronology as c; print(c.__file__); print(c.load().summary())"
    out = subprocess.run(
        [str(cloud.python), "-c", script],
        cwd=tmp_path,  # not the repository: the import must come from the install
        env=cloud.env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    where, summary = out.stdout.splitlines()[:2]
    assert Path(where).is_relative_to(ROOT), "the package must run from the repository"
    assert re.match(r"\d+ events", summary)


@pytest.fixture(scope="module")
def plain_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package installed with ``pip install .`` (not editable) into a fresh environment.

    Built from a copy of the package alone (no data/, no tests/, nothing written to the
    repository). To stay quick, the dependencies are this environment's, reached through a
    ``.pth`` line (``--no-deps``); the Cloud fixture above installs them for real.
    """
    root = tmp_path_factory.mktemp("plain")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "chronology", source / "chronology", ignore=shutil.ignore_patterns("__pycache__")
    )
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_dir = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (Path(site_dir) / "dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(source)],
        cwd=root, env=_clean_env(venv), capture_output=True, text=True,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    return venv


@pytest.mark.slow
def test_a_plain_install_checks_and_loads_a_directory_from_any_folder(
    plain_install: Path, data_dir: Path, tmp_path: Path
) -> None:
    env = _clean_env(plain_install)
    python = str(plain_install / "bin" / "python")
    script = "import sys, chronology as c; print(c.__file__); print(c.load(sys.argv[1]).summary())"
    out = subprocess.run(
        [python, "-c", script, str(data_dir)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    where, summary = out.stdout.splitlines()[:2]
    assert Path(where).is_relative_to(plain_install), "imported from elsewhere than the install"
    assert re.match(r"\d+ events", summary)
    check = subprocess.run(
        [str(plain_install / "bin" / "chronology"), "check", str(data_dir)],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    broken = tmp_path / "broken"
    shutil.copytree(data_dir, broken)
    (broken / "events.csv").write_text("id,title\n", encoding="utf-8")
    bad = subprocess.run(
        [str(plain_install / "bin" / "chronology"), "check", str(broken)],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert bad.returncode != 0 and "events.csv" in bad.stdout + bad.stderr
    assert "Traceback" not in bad.stdout + bad.stderr


@pytest.mark.slow
def test_app_script_runs_without_error(cloud: CloudEnv) -> None:
    """Every page of the app runs to the end in the fresh environment (Streamlit's AppTest)."""
    script = """
import sys
from pathlib import Path
from streamlit.testing.v1 import AppTest
pages = sorted(str(p) for p in Path("pages").glob("*.py"))
at = AppTest.from_file("dashboard.py", default_timeout=120).run()
failures = []
for page in ["dashboard.py", *pages]:
    if page != "dashboard.py":
        at.switch_page(page).run()
    if at.exception or not at.title:
        failures.append((page, [e.value for e in at.exception] or "no title"))
print(len(pages), "pages")
sys.exit(repr(failures) if failures else 0)
"""
    out = subprocess.run(
        [str(cloud.python), "-c", script], cwd=ROOT, env=cloud.env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.slow
def test_app_boots_headless_and_leaves_the_repository_unchanged(cloud: CloudEnv) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [
        str(cloud.python), "-m", "streamlit", "run", "dashboard.py",
        "--server.headless", "true", "--server.address", "127.0.0.1",
        "--server.port", str(port), "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    before = _git_status()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=cloud.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while not _health(url):
            assert proc.poll() is None, f"the app exited:\n{proc.stdout.read()}"  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the app was not healthy within 60 s"
            time.sleep(0.2)
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.status == 200
            assert b'id="root"' in resp.read()
    finally:
        proc.terminate()
        log, _ = proc.communicate(timeout=20)
    assert "Traceback" not in log, log
    changed = set(_git_status()) - set(before)
    assert not changed, f"the run changed the repository: {changed}"
    new = set(_git_status("--ignored")) - cloud.ignored_before
    written = [line for line in new if not BUILD_LEFTOVERS.search(line)]
    assert not written, f"the run wrote to the repository: {written}"
