"""Start a private Janus (Debian package) on free ports with a generated configuration: for tests, the bench and
a one-machine court. Only the VideoRoom plugin and the HTTP transport are loaded."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

LIB = Path("/usr/lib/x86_64-linux-gnu/janus")


def janus_available() -> str:
    """'' when Janus and janus-pp-rec can run here, else why not (a test's skip reason)."""
    if shutil.which("janus") is None:
        return "janus is not installed (Debian package janus; scripts/system_deps.sh installs it)"
    if shutil.which("janus-pp-rec") is None:
        return "janus-pp-rec is not installed (Debian package janus-tools)"
    if not (LIB / "plugins" / "libjanus_videoroom.so").exists():
        return f"the Janus VideoRoom plugin is missing under {LIB}"
    return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _disable(folder: Path, keep: set[str]) -> str:
    return ",".join(sorted(p.name for p in folder.glob("*.so") if p.name not in keep))


class LocalJanus:
    """`with LocalJanus() as j: j.url` — a Janus serving its HTTP API on 127.0.0.1:<free port>."""

    def __init__(self, *, rtp_ports: tuple[int, int] = (30000, 39999), debug_level: int = 3):
        self.rtp_ports = rtp_ports
        self.debug_level = debug_level
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.dir = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/janus"

    def start(self) -> LocalJanus:
        why = janus_available()
        if why:
            raise RuntimeError(why)
        self.dir = tempfile.mkdtemp(prefix="yt-janus-")
        self.port = free_port()
        conf = Path(self.dir)
        conf.joinpath("janus.jcfg").write_text(f"""
general: {{
  configs_folder = "{conf}"
  plugins_folder = "{LIB / 'plugins'}"
  transports_folder = "{LIB / 'transports'}"
  events_folder = "{LIB / 'events'}"
  loggers_folder = "{LIB / 'loggers'}"
  debug_level = {self.debug_level}
  log_to_stdout = true
  session_timeout = 60
  server_name = "yunting-janus"
}}
media: {{
  rtp_port_range = "{self.rtp_ports[0]}-{self.rtp_ports[1]}"
}}
nat: {{
  nice_debug = false
  ice_ignore_list = "vmnet"
}}
plugins: {{
  disable = "{_disable(LIB / 'plugins', {'libjanus_videoroom.so'})}"
}}
transports: {{
  disable = "{_disable(LIB / 'transports', {'libjanus_http.so'})}"
}}
events: {{
  broadcast = false
  disable = "{_disable(LIB / 'events', set())}"
}}
loggers: {{
  disable = "{_disable(LIB / 'loggers', set())}"
}}
""")
        conf.joinpath("janus.transport.http.jcfg").write_text(f"""
general: {{
  base_path = "/janus"
  http = true
  port = {self.port}
  ip = "127.0.0.1"
  https = false
}}
admin: {{
  admin_http = false
  admin_https = false
}}
""")
        conf.joinpath("janus.plugin.videoroom.jcfg").write_text("general: {\n}\n")
        self.log = open(conf / "janus.log", "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(["janus", "-F", str(conf), "-C", str(conf / "janus.jcfg")],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self._wait()
        return self

    def _wait(self, timeout: float = 15.0) -> None:
        from .janus import JanusSfu, SfuError

        sfu, deadline = JanusSfu(url=self.url, timeout=1.0), time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"janus exited ({self.proc.returncode}): "
                                   + Path(self.dir, "janus.log").read_text(errors="replace")[-2000:])
            try:
                if "janus.plugin.videoroom" in sfu.info().get("plugins", {}):
                    return
            except SfuError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("janus did not answer in time")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
        self.proc = None

    def __enter__(self) -> LocalJanus:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
