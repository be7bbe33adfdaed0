"""`make lab` starts JupyterLab serving the start page with the project's kernel."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

from workbook._paths import REPO_ROOT

TOKEN = "workbook-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def test_make_lab_serves_the_start_page(tmp_path):
    """The README's `make lab` serves chapters/00_start_here.ipynb and offers the mlops-workbook kernel."""
    port = _free_port()
    args = f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} --IdentityProvider.token={TOKEN}"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path), "LAB_ARGS": args}
    proc = subprocess.Popen(["make", "--no-print-directory", "lab"], cwd=REPO_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, _ = _get(f"{base}/api/status?token={TOKEN}")
                break
            except OSError:
                assert proc.poll() is None, "make lab exited before the server answered"
                assert time.monotonic() < deadline, "JupyterLab did not answer within 90 s"
                time.sleep(0.5)
        with urllib.request.urlopen(f"{base}/?token={TOKEN}", timeout=5) as response:  # where the browser lands
            assert response.url.split("?")[0].endswith("/lab/tree/chapters/00_start_here.ipynb")
            assert b"JupyterLab" in response.read()
        status, body = _get(f"{base}/api/contents/chapters/00_start_here.ipynb?token={TOKEN}")
        assert json.loads(body)["content"]["metadata"]["kernelspec"]["name"] == "mlops-workbook"
        status, body = _get(f"{base}/api/contents/labs/02_data_pipelines.ipynb?token={TOKEN}&content=0")
        assert status == 200  # the navigation's ../labs links resolve inside the server's root
        status, body = _get(f"{base}/api/kernelspecs?token={TOKEN}")
        assert "mlops-workbook" in json.loads(body)["kernelspecs"]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
