"""A headless Firefox for the report's check in a second browser engine: the stock
`firefox-esr` of Debian, driven over Marionette, Firefox's own remote protocol (a TCP
socket, each message `length:JSON`), since Playwright's Python API drives only its own
patched Firefox builds. A fresh profile per session, nothing fetched from the network.

    with firefox_session(downloads) as ff:
        ff.navigate(path.as_uri())
        ff.execute("return window.alignerReview.rows().length")
        ff.keys("n", "}", ENTER)
        ff.screenshot(png)
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

#: WebDriver's codes for keys that are no character
ENTER, ESCAPE, SHIFT, CONTROL, ARROW_DOWN, ARROW_RIGHT = "\ue007", "\ue00c", "\ue008", "\ue009", "\ue015", "\ue014"

# A quiet, offline profile: no updates, telemetry, safe-browsing lists, captive-portal or
# connectivity checks; downloads saved to a folder without asking.
PREFS = {
    "app.update.enabled": False, "app.update.auto": False, "browser.shell.checkDefaultBrowser": False,
    "datareporting.policy.dataSubmissionEnabled": False, "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False, "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False, "browser.safebrowsing.downloads.enabled": False,
    "network.captive-portal-service.enabled": False, "network.connectivity-service.enabled": False,
    "browser.newtabpage.enabled": False, "browser.startup.homepage": "about:blank",
    "extensions.update.enabled": False, "browser.search.update": False, "network.dns.disablePrefetch": True,
    "network.prefetch-next": False, "browser.download.useDownloadDir": True, "browser.download.folderList": 2,
    "browser.download.always_ask_before_handling_new_types": False, "browser.download.panel.shown": True,
    "browser.download.alwaysOpenPanel": False,
}


def firefox_path() -> str | None:
    """The system Firefox (FIREFOX overrides), or None."""
    for candidate in (os.environ.get("FIREFOX"), shutil.which("firefox-esr"), shutil.which("firefox")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def missing() -> str | None:
    """Why the Firefox check cannot run here, or None when it can."""
    if firefox_path() is None:
        return "Firefox is not installed (apt-get install firefox-esr; .ci/run tries to)"
    return None


class Marionette:
    """One Marionette connection: commands in, results out, errors raised."""

    def __init__(self, sock: socket.socket):
        self._sock = sock
        self._in = sock.makefile("rb")
        self._id = 0
        hello = self._read()
        if hello.get("marionetteProtocol") != 3:
            raise RuntimeError(f"not Marionette protocol 3: {hello}")

    def _read(self):
        size = b""
        while not size.endswith(b":"):
            byte = self._in.read(1)
            if not byte:
                raise ConnectionError("Firefox closed the connection")
            size += byte
        return json.loads(self._in.read(int(size[:-1])))

    def send(self, command: str, params: dict | None = None):
        self._id += 1
        data = json.dumps([0, self._id, command, params or {}]).encode("utf-8")
        self._sock.sendall(str(len(data)).encode("ascii") + b":" + data)
        kind, number, error, result = self._read()
        if error:
            raise RuntimeError(f"{command}: {error.get('error')}: {error.get('message')}")
        return result

    def navigate(self, url: str) -> None:
        self.send("WebDriver:Navigate", {"url": url})

    def execute(self, script: str, *args):
        """Run `script` (a function body: `return ...`) in the page; its value, as JSON."""
        return self.send("WebDriver:ExecuteScript", {"script": script, "args": list(args)})["value"]

    def keys(self, *keys: str, modifier: str | None = None) -> None:
        """Press and release each key in turn (a character or a code above), holding
        `modifier` (SHIFT, CONTROL) if given, as a person typing."""
        actions = [{"type": "keyDown", "value": modifier}] if modifier else []
        for key in keys:
            actions += [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
        if modifier:
            actions.append({"type": "keyUp", "value": modifier})
        self.send("WebDriver:PerformActions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
        self.send("WebDriver:ReleaseActions")

    def click(self, selector: str) -> None:
        element = self.send("WebDriver:FindElement", {"using": "css selector", "value": selector})["value"]
        self.send("WebDriver:ElementClick", {"id": next(iter(element.values()))})

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.send("WebDriver:TakeScreenshot", {"full": False})["value"]))


def _free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def firefox_session(downloads: Path, width: int = 1280, height: int = 900) -> Iterator[Marionette]:
    """A headless Firefox with a fresh profile, downloads saved into `downloads`."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="aligner-firefox-") as profile:
        prefs = dict(PREFS, **{"marionette.port": port, "browser.download.dir": str(downloads)})
        Path(profile, "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items()), encoding="utf-8")
        env = dict(os.environ, MOZ_HEADLESS_WIDTH=str(width), MOZ_HEADLESS_HEIGHT=str(height))
        proc = subprocess.Popen([firefox_path(), "--headless", "--marionette", "--no-remote", "--profile", profile],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=120)
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("Firefox did not open its Marionette port") from None
                    time.sleep(0.2)
            with closing(sock):
                ff = Marionette(sock)
                ff.send("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {"pageLoadStrategy": "normal"}}})
                try:
                    yield ff
                finally:
                    try:
                        ff.send("Marionette:Quit", {"flags": ["eForceQuit"]})
                    except (OSError, RuntimeError, ConnectionError):
                        pass
        finally:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
