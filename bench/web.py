"""Article page throughput: newsdesk under uvicorn against nginx serving the export.

    .venv/bin/python bench/web.py                  # 10 s per server, 50 connections
    .venv/bin/python bench/web.py --duration 5 --json web.json

Both serve the sample article's page (data/demo/quasi-alliance-page.txt) on
loopback: the app from a temporary SQLite database with one uvicorn worker,
nginx (one worker process, the same security headers) from `export_site`.
wrk drives each in turn with the same settings. Needs Debian's nginx
(nginx-light) and wrk.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "demo" / "quasi-alliance-page.txt"
NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        index index.html;
        charset utf-8;
{headers}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit(f"nothing listens on port {port}")


def prepare(tmp: Path) -> tuple[str, str]:
    """The database with the sample brief, and its export; returns (db, article id)."""
    from newsdesk.config import Settings
    from newsdesk.pipeline import brief_sources
    from newsdesk.store import open_store
    from newsdesk.web.export import export_site

    (outcome,) = brief_sources([str(SAMPLE)])
    if outcome.brief is None:
        raise SystemExit(f"cannot brief the sample: {outcome.error}")
    db = str(tmp / "bench.db")
    store = open_store(db)
    store.save(outcome.brief)
    export_site(store, tmp / "site", Settings())
    store.close()
    return db, outcome.brief.article.id


def nginx_headers() -> str:
    from newsdesk.web.app import SECURITY_HEADERS

    return "\n".join(
        f'        add_header {name.decode()} "{value.decode()}" always;'
        for name, value in SECURITY_HEADERS
    )


def start_nginx(tmp: Path, port: int) -> subprocess.Popen[bytes]:
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(tmp=tmp, port=port, site=tmp / "site", headers=nginx_headers())
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return subprocess.Popen([nginx, "-p", str(tmp), "-c", str(conf)])


def start_app(db: str, port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, __file__, "--serve-app", db, str(port)])


def serve_app(db: str, port: int) -> None:
    """The child process: the app under uvicorn, one worker, no access log."""
    import uvicorn

    from newsdesk.config import Settings
    from newsdesk.store import open_store
    from newsdesk.web.app import create_app

    app = create_app(open_store(db), Settings(port=port))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, duration: int, connections: int, threads: int) -> dict[str, float]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    percent = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)$", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),  # type: ignore[index]
        "p50_ms": milliseconds(percent["50"]),
        "p99_ms": milliseconds(percent["99"]),
        "errors": float(errors[1]) if errors else 0.0,
    }


def measure(args: argparse.Namespace) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as name:
        tmp = Path(name)
        tmp.chmod(0o755)  # nginx's worker may run as another user
        db, article_id = prepare(tmp)
        servers = {
            "nginx (static export)": (start_nginx, tmp, f"articles/{article_id}/index.html"),
            "newsdesk (uvicorn, 1 worker)": (start_app, db, f"articles/{article_id}"),
        }
        results = {}
        for label, (start, where, path) in servers.items():
            port = free_port()
            process = start(where, port)  # type: ignore[operator]
            try:
                wait_for(port)
                url = f"http://127.0.0.1:{port}/{path}"
                run_wrk(url, 1, 4, 1)  # warm up: caches, connections
                results[label] = run_wrk(url, args.duration, args.connections, args.threads)
            finally:
                process.terminate()
                process.wait(10)
        return results


def table(results: dict[str, dict[str, float]]) -> str:
    lines = ["| server | requests/s | p50 ms | p99 ms | errors |", "|---|---|---|---|---|"]
    for label, r in results.items():
        lines.append(
            f"| {label} | {r['requests_per_second']:,.0f} | {r['p50_ms']:.2f} | "
            f"{r['p99_ms']:.2f} | {r['errors']:.0f} |"
        )
    nginx, app = results.values()
    ratio = app["requests_per_second"] / nginx["requests_per_second"]
    lines.append(f"\nnewsdesk / nginx throughput: {ratio:.2f} (1 : {1 / ratio:.1f})")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--serve-app":
        serve_app(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per server")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not (shutil.which(tool) or os.path.exists(f"/usr/sbin/{tool}")):
            raise SystemExit(f"needs {tool}: apt-get install -y nginx-light wrk")
    results = measure(args)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
