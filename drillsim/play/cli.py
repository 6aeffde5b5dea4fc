"""The ``drillsim play`` command (called from :mod:`drillsim.cli`): create or resume an
exercise, print the addresses, serve the pages until Ctrl-C."""

from __future__ import annotations

import socket
from pathlib import Path

from drillsim.errors import DrillsimError


def play_command(file: Path | None, *, folder: Path | None = None, seed: int | None = None,
                 resume: Path | None = None, port: int = 8765, lan: bool = False,
                 speed: float = 60.0, console=None, serve: bool = True):
    """Create (``file``) or resume (``resume``) an exercise and serve it.

    Returns
    -------
    drillsim.play.exercise.Exercise
        The exercise (after the server stopped, or at once without ``serve``).

    Raises
    ------
    DrillsimError
        Neither or both of ``file`` and ``resume``; a folder that already holds an
        exercise; a folder to resume that holds none; a port in use.
    """
    from drillsim.play.exercise import META_FILE, Exercise

    if (file is None) == (resume is None):
        raise DrillsimError("give a drill FILE to start an exercise, or --resume DIR to "
                            "resume one (not both)")
    host = "0.0.0.0" if lan else "127.0.0.1"  # noqa: S104 (--lan serves the room's network)
    if serve:
        _check_port(host, port)  # before a folder is made
    if resume is not None:
        if not (resume / META_FILE).is_file():
            raise DrillsimError(f"{resume}: no exercise here (no {META_FILE}); start one "
                                f"with drillsim play FILE --folder {resume}")
        exercise = Exercise.open(resume)
    else:
        from drillsim.api import open_drill

        drill = open_drill(file)  # a bad file: FILE:LINE: field: message, before any folder
        chosen = seed if seed is not None else drill.scenario.seed
        folder = folder or Path("exercises") / f"{file.stem}-seed{chosen}"
        if (folder / META_FILE).exists():
            raise DrillsimError(f"{folder} already holds an exercise: resume it with "
                                f"drillsim play --resume {folder}, or give another --folder")
        exercise = Exercise.create(folder, file, seed=seed)
    shown = lan_address() if lan else "127.0.0.1"
    app = None
    if serve:
        from drillsim.play.server import create_app

        # the app first (the font takes seconds once): the addresses printed then work
        app = create_app(exercise, speed=speed, address=f"http://{shown}:{port}")

    def announce() -> None:
        if console is None:
            return
        live = exercise.live
        console.print(f"Exercise: {live.scenario.name} (seed {exercise.seed}), folder "
                      f"{exercise.folder}, drill clock at {live.now / 60:.0f} min"
                      + (f", {len(exercise.log)} decision(s) replayed" if resume else ""),
                      soft_wrap=True)  # addresses and paths are never wrapped: they are copied
        console.print(f"Facilitator: http://{shown}:{port}/f/{exercise.codes['facilitator']}",
                      soft_wrap=True)
        for role in live.roles.values():
            code = exercise.codes.get(role.id)
            if code:
                console.print(f"  {role.name_en} / {role.name_zh}: http://{shown}:{port}/p/{code}",
                              soft_wrap=True)
        console.print("Ctrl-C stops the server; every decision is already on disk: "
                      f"drillsim play --resume {exercise.folder} goes on from here.",
                      soft_wrap=True)

    if app is None:
        announce()
        return exercise
    import uvicorn

    try:
        listening_server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                        ws="websockets-sansio"), announce).run()
    except KeyboardInterrupt:  # uvicorn has shut down; it passes the Ctrl-C on
        pass
    if console is not None:
        console.print(f"Stopped. Resume with: drillsim play --resume {exercise.folder}",
                      soft_wrap=True)
    return exercise


def listening_server(config, on_listen):
    """A :class:`uvicorn.Server` that calls ``on_listen()`` once its socket listens (after
    uvicorn's startup: the application's lifespan, then the bind), so an address printed
    then never meets "connection refused"."""
    import uvicorn

    class _Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets)
            if self.started:
                on_listen()

    return _Server(config)


def _check_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise DrillsimError(f"--port {port}: cannot serve on {host}:{port} "
                                f"({exc.strerror}); choose another port") from None


def lan_address() -> str:
    """This machine's address on the local network (the route a datagram would take; no
    packet is sent), or its host name when it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
        except OSError:
            return socket.gethostname()
