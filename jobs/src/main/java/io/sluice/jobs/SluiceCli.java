package io.sluice.jobs;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sluice} command line. Exit code 0 on success; on failure a one-line reason on stderr
 * (the stack trace only with {@code SLUICE_DEBUG=1}) and a non-zero code: 2 for bad usage, 1 for
 * anything else.
 */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    version = "sluice " + SluiceCli.VERSION,
    description =
        "Raw multilingual web and code corpora to training-ready token streams and a retrieval"
            + " datastore.",
    subcommands = {
      IngestCommand.class,
      ExtractCommand.class,
      LangidCommand.class,
      FilterCommand.class,
      SelectCommand.class,
      FitCommand.class,
      TrainQualityCommand.class,
      DedupCommand.class,
      TokenizeCommand.class,
      ExportMegatronCommand.class,
      EncodeCommand.class,
      DecodeCommand.class,
      FeedCommand.class,
      FeedBenchCommand.class,
      FeedDumpCommand.class,
      IndexCommand.class,
      SearchCommand.class,
      ServeCommand.class,
      QueryCommand.class,
      EvalCommand.class,
      DistillCommand.class,
      ShowCommand.class,
      PipelineCommand.class,
      ReleaseCommand.class,
      DemoCommand.class,
    })
public final class SluiceCli implements Runnable {
  /** The version recorded in release manifests. */
  static final String VERSION = "0.1.0";

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(new SluiceCli(), args));
  }

  /** Runs a command object with Sluice's error handling; returns the exit code. */
  static int execute(Object command, String[] args) {
    CommandLine cli = new CommandLine(command);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          PrintWriter err = cmd.getErr();
          err.println(cmd.getCommandName() + ": error: " + oneLine(e));
          if ("1".equals(System.getenv("SLUICE_DEBUG"))) {
            e.printStackTrace(err);
          }
          err.flush();
          return 1;
        });
    return cli.execute(args);
  }

  /** The exception's message, with its root cause when that adds something, on one line. */
  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (root != e && root.getMessage() != null && !m.contains(root.getMessage())) {
      m += " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return m.replace('\n', ' ');
  }
}
