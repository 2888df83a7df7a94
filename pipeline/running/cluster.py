"""Scene renders on a Dask cluster: the :class:`~pipeline.running.executor.Executor` interface, with
jobs run by Dask workers instead of this machine's processes.

``lecture render --executor dask [--scheduler tcp://HOST:8786] [--shared-dir DIR]``

A job is one scene at one quality. Its task runs the ordinary worker, forked from a warm
host process of the Dask worker (:mod:`pipeline.running.host`: the imports and the lecture's
numbers are done once per host, and a crash costs one try), in a temporary folder on the
worker machine, with that machine's own TeX store: the client's paths never leave the
client. A scene whose beats are not spoken yet gets a speech task first, and its render
task takes that speech as its input (speech -> render; the client then makes the clips).
The task sends back the files the render made (the movie, its sections and
subtitles, the slides' videos and their description), each with its SHA-256, as bytes, or
written under ``--shared-dir``, a folder every machine mounts. The client checks every hash,
places the files atomically where a local render would have put them, and goes on as for a
local result: clips, captions, the lecture.

- Task keys come from what decides the render (the job and the project's code), so the same
  job submitted twice runs once; scenes the content hash says are unchanged are never
  submitted (:func:`pipeline.running.make.render` skips them before any executor sees them).
- A worker that dies mid-job: Dask runs the task again elsewhere (``retries``, and its own
  rescheduling of a lost worker's tasks). A scene that fails (its own error) fails on every
  try alike: it is reported at once, like a local failure, and the other scenes go on.
- Every worker must run the same code as the client: the project's digest is compared on
  every worker when the client connects, and a task checks it again before it renders.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cachekeys
from pipeline.caches import inputs as keys
from pipeline.media import atomic_path
from pipeline.running.executor import RenderJob, SceneResult, parse_result
from pipeline.running.host import close_idle, prestart, run_warm

if TYPE_CHECKING:
    from pipeline.sound.speech import BeatScript, RawSpeech

try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # DaskExecutor says how to install it; nothing else here needs it
    WorkerPlugin = object  # type: ignore[assignment,misc]

#: seconds to wait for a scheduler before saying it does not answer
CONNECT_TIMEOUT_S = 10
#: tries of a task beyond the first, when its worker dies under it
RETRIES = 2
#: what a render writes that the client does not need: caches and Manim's partial movies
LEFT_ON_WORKER = ("texts", "Tex", "tex", "images", "partial_movie_files")
#: Dask settings for render clusters (its file says why): the LocalCluster's, and what a
#: hand-started scheduler and workers read with DASK_CONFIG set to this folder
DASK_CONFIG_DIR = Path(__file__).parent / "dask-config"


class ClusterError(RuntimeError):
    """The cluster cannot run this project's jobs (unreachable, or other code on a worker)."""


@cache
def project_version() -> str:
    """This client's project version (:func:`pipeline.caches.inputs.project_digest`), read once: the
    code it runs is the code it read at its start."""
    return keys.project_digest()


def _worker_tex_store() -> Path:
    """This machine's own store of typeset TeX, shared by its tasks."""
    return Path(tempfile.gettempdir()) / f"lecture-tex-{os.getuid()}"


def _without_dask_settings(env: dict[str, str]) -> dict[str, str]:
    """``env`` without what Dask's nanny sets for its own workers' sake (its
    ``pre-spawn-environ``: a low malloc trim threshold, one BLAS thread). A render started
    with them is much slower than the same render on this machine's own pool
    (bench/RESULTS.md), and a render is not a Dask worker: it gets the environment a local
    render has. A value the user set to something else is kept."""
    import dask

    preset = dask.config.get("distributed.nanny.pre-spawn-environ", None) or {}
    return {k: v for k, v in env.items() if not (k in preset and str(preset[k]) == v)}


def cluster_settings() -> dict[str, Any]:
    """The settings of :data:`DASK_CONFIG_DIR`, as the dotted keys of ``dask.config.set``."""
    import dask

    def dotted(tree: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
        for name, value in tree.items():
            if isinstance(value, dict):
                yield from dotted(value, f"{prefix}{name}.")
            else:
                yield f"{prefix}{name}", value

    return dict(dotted(dask.config.collect(paths=[str(DASK_CONFIG_DIR)], env={})))


def settings_not_applied() -> list[str]:
    """On a Dask process: the keys of :func:`cluster_settings` it does not run with."""
    import dask

    return sorted(k for k, v in cluster_settings().items() if dask.config.get(k, None) != v)


def _host_environment() -> dict[str, str]:
    """The environment of this worker's warm host: a local render's (see above)."""
    return _without_dask_settings(RenderJob.environment())


class WarmHostPlugin(WorkerPlugin):
    """Starts each Dask worker's warm host as the worker joins (and when a lost worker is
    replaced), while the client still prepares its jobs, rather than in the first task."""

    #: registered once per cluster: a second client leaves the hosts already warm alone
    idempotent = True
    name = "lecture-warm-host"

    def setup(self, worker: Any) -> None:
        prestart(_host_environment())

    def teardown(self, worker: Any) -> None:
        close_idle()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _kept(rel: Path) -> bool:
    return not any(part in LEFT_ON_WORKER for part in rel.parts)


def _same_version(version: str) -> None:
    mine = keys.project_digest()  # now: the files may have changed since the worker started
    if mine != version:
        raise ClusterError(
            f"worker {socket.gethostname()} ({platform.node()}) runs project version {mine}, "
            f"the client {version}: install the same version of the project on every worker"
        )


def speech_task(beats: list[BeatScript], version: str) -> list[RawSpeech]:
    """On a Dask worker: piper's speech of a scene's ``beats``, audio and sentence spans."""
    from pipeline.sound.speech import synthesise_beats

    _same_version(version)
    return synthesise_beats(beats)


def render_task(
    job: dict[str, Any], version: str, shared_dir: str | None = None,
    spoken: list[RawSpeech] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """On a Dask worker: render ``job`` (a :class:`RenderJob` as a dict, without paths) and
    return its result and files. Raises if this worker's code is not ``version``.

    ``spoken`` is the result of the scene's :func:`speech_task` (Dask hands it over when that
    task is done): with the speech of its other beats, in the job's plan, it times the render.
    """
    _same_version(version)
    if spoken is not None:
        from pipeline.outputs.scene_files import speech_plan

        made = json.loads(speech_plan({s.beat.beat: s.speech() for s in spoken}))
        job = {**job, "speech": json.dumps(json.loads(job["speech"] or "{}") | made)}
    with tempfile.TemporaryDirectory(prefix="lecture-task-") as scratch:
        media = Path(scratch) / "media"
        spec = RenderJob(**{**job, "media_dir": media, "tex_cache": _worker_tex_store()})
        # A fork of this worker's warm host; if the host dies under it (its machine's
        # trouble, not the scene's), HostDiedError makes Dask try the job again.
        code, stdout, stderr = run_warm(spec.worker_args(), _host_environment(), version)
        result = parse_result(spec, code, stdout, stderr)
        files: list[dict[str, Any]] = []
        if result.ok:
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                rel = path.relative_to(media)
                if not _kept(rel):
                    continue
                data = path.read_bytes()
                entry: dict[str, Any] = {"path": str(rel), "sha256": _sha256(data)}
                if shared_dir is None:
                    entry["data"] = data
                else:
                    target = Path(shared_dir) / entry["sha256"]
                    if not target.exists():
                        with atomic_path(target) as tmp:
                            tmp.write_bytes(data)
                files.append(entry)
    return {
        "ok": result.ok, "info": result.info, "error": result.error, "files": files,
        "media": str(media), "worker": socket.gethostname(),
    }  # fmt: skip


def place_files(answer: dict[str, Any], media_dir: Path, shared_dir: Path | None) -> dict[str, Any]:
    """Check and place a task's files under ``media_dir``; its info, with the worker's
    paths turned into the client's."""
    remote, local = answer["media"], str(media_dir)
    for entry in answer["files"]:
        data = entry.get("data")
        if data is None:
            if shared_dir is None:
                raise ClusterError(f"{entry['path']}: no bytes and no --shared-dir to read")
            data = (shared_dir / entry["sha256"]).read_bytes()
        if _sha256(data) != entry["sha256"]:
            raise ClusterError(
                f"{entry['path']} from worker {answer['worker']} does not match its SHA-256 "
                f"{entry['sha256'][:12]}: it was damaged on the way"
            )
        if entry["path"].endswith(".json"):  # the slides' description names its files
            data = data.replace(remote.encode(), local.encode())
        target = media_dir / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
    return _localised(answer["info"], remote, local)


def _localised(value: Any, remote: str, local: str) -> Any:
    if isinstance(value, str) and value.startswith(remote):
        return local + value[len(remote) :]
    if isinstance(value, dict):
        return {k: _localised(v, remote, local) for k, v in value.items()}
    if isinstance(value, list):
        return [_localised(v, remote, local) for v in value]
    return value


def task_key(job: RenderJob, version: str) -> str:
    """The Dask key of ``job``: what decides its render, and nothing else."""
    spec = {k: v for k, v in asdict(job).items() if k not in ("media_dir", "tex_cache")}
    return f"render-{job.scene}-{cachekeys.key('dask-render', spec, version, length=16)}"


def _portable(job: RenderJob) -> dict[str, Any]:
    """``job`` without the client's paths, for a worker anywhere."""
    spec = asdict(replace(job, media_dir=Path("."), tex_cache=None))
    del spec["media_dir"], spec["tex_cache"]
    return spec


@dataclass
class _Pending:
    job: RenderJob
    #: the scene's beats to synthesise, if the cluster speaks (the others are in job.speech)
    speak: list[BeatScript] | None = None
    future: Any = None  #: the render's future, once sent
    speech: Any = None  #: the future of the scene's speech, if the cluster makes it


def _expected_seconds(pending: _Pending) -> float:
    """How long ``pending``'s scene will last, from its speech: its render time follows."""
    plan = json.loads(pending.job.speech) if pending.job.speech else {}
    seconds = sum(float(beat["seconds"]) for beat in plan.values())
    if pending.speak is not None:  # not spoken yet: as long as its words take to read
        from scenes.narration import estimated_seconds

        seconds += sum(estimated_seconds(b.spoken) for b in pending.speak)
    return seconds


class DaskExecutor:
    """Scene jobs on a Dask cluster: at ``scheduler``, or a :class:`LocalCluster` of one
    single-threaded worker process per core when none is given."""

    def __init__(
        self, scheduler: str | None = None, shared_dir: Path | None = None,
        retries: int = RETRIES, workers: int | None = None, echo: Any = print,
    ) -> None:  # fmt: skip
        self.scheduler = scheduler
        self.shared_dir = shared_dir.resolve() if shared_dir else None
        self.retries = retries
        self.workers = workers or os.cpu_count() or 1
        self.echo = echo
        self.version = project_version()
        self._pending: list[_Pending] = []
        self._client: Any = None
        self._cluster: Any = None
        self._settings: Any = None  #: the LocalCluster's dask.config.set, undone on close

    def __enter__(self) -> DaskExecutor:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ClusterError(
                "--executor dask needs the Python packages dask and distributed, the "
                "project's `cluster` extra: run `make setup` (or `.venv/bin/pip install -e "
                "'.[cluster]'`)"
            ) from None
        for name in ("distributed", "dask"):  # their INFO lines would bury the progress
            logging.getLogger(name).setLevel(logging.WARNING)
        if self.scheduler is None:
            import dask

            # For the cluster's life: the scheduler runs in this process, and the nannies
            # pass the settings on to every worker they start (again, if one is lost).
            self._settings = dask.config.set(cluster_settings())
            self._cluster = LocalCluster(
                silence_logs=logging.WARNING,
                n_workers=self.workers, threads_per_worker=1, processes=True,
                dashboard_address="127.0.0.1:0",
            )  # fmt: skip
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(self.scheduler, timeout=f"{CONNECT_TIMEOUT_S}s")
            except (OSError, TimeoutError) as exc:
                raise ClusterError(
                    f"the Dask scheduler at {self.scheduler} did not answer within "
                    f"{CONNECT_TIMEOUT_S} s ({type(exc).__name__}: {exc}); is `dask scheduler` "
                    "running there, and is the port open?"
                ) from None
        link = getattr(self._client, "dashboard_link", None)
        if link:
            self.echo(f"dask dashboard: {link}")
        self._check_versions()
        self._check_settings()
        # Each worker's host imports Manim while this process imports it for itself.
        self._client.register_plugin(WarmHostPlugin())
        return self

    def _check_versions(self) -> None:
        try:
            versions = self._client.run(keys.project_digest)
        except Exception as exc:  # a worker without the project cannot even import this
            self.close()
            raise ClusterError(
                f"a Dask worker cannot run this project's code ({type(exc).__name__}: {exc}); "
                "install the project on every worker (`make setup`)"
            ) from None
        wrong = {w: v for w, v in versions.items() if v != self.version}
        if wrong:
            worker, version = next(iter(wrong.items()))
            self.close()
            raise ClusterError(
                f"Dask worker {worker} runs project version {version}, this client "
                f"{self.version}: install the same version on every worker"
            )

    def _check_settings(self) -> None:
        """Say so if the cluster runs with Dask's own settings rather than the renders'."""
        where = {"the scheduler": self._client.run_on_scheduler(settings_not_applied)}
        where |= {f"worker {w}": m for w, m in self._client.run(settings_not_applied).items()}
        loud = [name for name, missing in where.items() if missing]
        if loud:
            self.echo(
                f"note: Dask's own upkeep takes CPU from the renders on {', '.join(loud)}: "
                f"started without this project's Dask settings; start them with "
                f'DASK_CONFIG={DASK_CONFIG_DIR} (README, "Rendering on a cluster")'
            )

    def submit(self, job: RenderJob) -> None:
        self._pending.append(_Pending(job))

    def submit_spoken(self, job: RenderJob, beats: list[BeatScript]) -> None:
        """Submit ``job`` after a task that synthesises its scene's ``beats``: the graph is
        speech -> render, and the render is timed by that speech and by ``job.speech``."""
        self._pending.append(_Pending(job, beats))

    def _send(self, pending: _Pending) -> None:
        job, shared = pending.job, str(self.shared_dir) if self.shared_dir else None
        key, args = task_key(job, self.version), [_portable(job), self.version, shared]
        if pending.speak is not None:
            beats = pending.speak
            spec = [(b.written, b.spoken, [asdict(s) for s in b.sentences]) for b in beats]
            speech_key = cachekeys.key("dask-speech", spec, self.version, length=16)
            pending.speech = self._client.submit(
                speech_task, beats, self.version, key=f"speech-{job.scene}-{speech_key}",
                retries=self.retries, pure=False,
            )  # fmt: skip
            key, args = f"{key}-{speech_key}", [*args, pending.speech]
        pending.future = self._client.submit(
            render_task, *args, key=key, retries=self.retries, pure=False
        )

    def _slots(self) -> int:
        """How many jobs the cluster runs at once now: its workers' threads."""
        return max(1, sum(self._client.nthreads().values()))

    def collect(self) -> Iterator[SceneResult]:
        """The results, as jobs finish. Jobs are sent as many as the workers have threads,
        and the next one as soon as one finishes: Dask,
        which knows nothing of a render's length, would otherwise share them all out at
        once and leave a worker idle while another still has a queue (bench/RESULTS.md,
        "Dask cluster: where the 44 % went"). Longest first, by their speech."""
        from distributed import as_completed

        # The longest first, so that the last job to end does not start late.
        queue = sorted(self._pending, key=_expected_seconds, reverse=True)
        self._pending = []
        running = as_completed()
        sent: dict[str, _Pending] = {}

        def top_up() -> None:
            slots = self._slots()  # a call to the scheduler: once, not once a job
            while queue and len(sent) < slots:
                pending = queue.pop(0)
                self._send(pending)
                sent[pending.future.key] = pending
                self._pending.append(pending)
                running.add(pending.future)

        top_up()
        for future in running:
            pending = sent.pop(future.key)
            self._pending.remove(pending)
            top_up()  # the freed worker gets its next job before this one is looked at
            yield self._result(pending)

    def _result(self, pending: _Pending) -> SceneResult:
        job, speech = pending.job, pending.speech
        # Speech that was made is kept, even if its scene then failed to render.
        made = speech.result() if speech is not None and speech.status == "finished" else []
        try:
            answer = pending.future.result()
        except Exception as exc:  # every try failed: the scene fails, the others go on
            error = f"on the cluster: {type(exc).__name__}: {exc}"
            return SceneResult(job, False, error=error, speech=made)
        if not answer["ok"]:
            return SceneResult(job, False, answer["info"], answer["error"], made)
        try:
            info = place_files(answer, job.media_dir, self.shared_dir)
        except (ClusterError, OSError) as exc:
            return SceneResult(job, False, error=str(exc), speech=made)
        return SceneResult(job, True, info, speech=made)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._settings is not None:
            self._settings.__exit__(None, None, None)
            self._settings = None

    def __exit__(self, *exc: object) -> None:
        for p in self._pending:
            if p.future is not None:
                p.future.cancel()
        self.close()
