package io.sluice.jobs;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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

  /** Runs {@code sluice args…} in this JVM (embedding, tests) and returns its exit code. */
  public static int run(String... args) {
    return execute(new SluiceCli(), args);
  }

  /** Runs a command object with Sluice's error handling; returns the exit code. */
  static int execute(Object command, String[] args) {
    CommandLine cli = new CommandLine(command);
    cli.setParameterExceptionHandler(SluiceCli::usageError);
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

  /**
   * A command line that does not parse: one line naming every unknown option (with the closest
   * known one) before anything else, since a misspelt required option is otherwise reported only
   * as the missing one; then where the usage is. Exit code 2.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    if (!cmd.getSubcommands().isEmpty()) {
      // no (or a misspelt) command: picocli's own words, with its suggestion
      String hint = "";
      if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
        hint = " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
      }
      String help = cmd.getCommandSpec().qualifiedName(" ");
      err.println(
          cmd.getCommandName() + ": error: " + e.getMessage() + hint + " (see '" + help + " --help')");
      err.flush();
      return 2;
    }
    java.util.Set<String> known = cmd.getCommandSpec().optionsMap().keySet();
    List<String> unknown = new ArrayList<>();
    boolean inSubcommand = cmd.getParent() == null;
    for (String a : args) {
      if (!inSubcommand) {
        inSubcommand = a.equals(cmd.getCommandName());
        continue;
      }
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (a.equals("--")) {
        break; // the rest are positional
      }
      if (name.startsWith("-") && name.length() > 1 && !known.contains(name)
          && !name.matches("-\\d.*")) {
        String near = closest(name, known);
        unknown.add("'" + name + "'" + (near == null ? "" : " (did you mean " + near + "?)"));
      }
    }
    String what =
        unknown.isEmpty()
            ? e.getMessage()
            : "unknown option" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown);
    String help = cmd.getCommandSpec().qualifiedName(" ");
    err.println(cmd.getCommandName() + ": error: " + what + " (see '" + help + " --help')");
    err.flush();
    return 2;
  }

  /** The known option nearest to {@code name} by edit distance, if any is near enough. */
  private static String closest(String name, java.util.Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = editDistance(name, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /**
   * The exception's message on one line, with its root cause when that adds something. Causes
   * whose own messages are long library internals are said in a user's terms: a JSON or YAML
   * parse error by its line and column, an S3 failure with what to check.
   */
  static String oneLine(Throwable e) {
    Throwable root = e;
    boolean s3 = false;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      root = t;
      String type = t.getClass().getName();
      s3 |= type.startsWith("org.apache.hadoop.fs.s3a") || type.startsWith("software.amazon.awssdk");
    }
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (root instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
      String where =
          j.getLocation() == null
              ? ""
              : " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
      String original = String.valueOf(j.getOriginalMessage());
      String why = original + where;
      int cut = m.indexOf(original);
      m = (cut > 0 ? m.substring(0, cut) : root == e ? "" : m + ": ") + why;
    } else if (s3) {
      String path = m.startsWith("s3a://") ? m.substring(0, Math.max(m.indexOf(':', 6), 6)) : null;
      String cause = firstSentence(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
      boolean unreachable =
          root instanceof java.net.ConnectException
              || root instanceof java.net.UnknownHostException
              || root instanceof java.net.SocketTimeoutException
              || cause.contains("Connection refused");
      m =
          (path == null ? "S3" : path)
              + ": cannot reach S3 ("
              + cause
              + (unreachable
                  ? "): is the server that --s3.endpoint (or $SLUICE_S3_ENDPOINT) names up and"
                      + " reachable?"
                  : "); for an S3-compatible server give --s3.endpoint URL (or"
                      + " $SLUICE_S3_ENDPOINT), for AWS credentials in"
                      + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the default chain");
    } else if (root != e && root.getMessage() != null && !m.contains(root.getMessage())) {
      m += " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
    return m.replace('\n', ' ');
  }

  private static String firstSentence(String s) {
    String one = s.replace('\n', ' ');
    int dot = one.indexOf(". ");
    one = dot > 0 ? one.substring(0, dot) : one;
    return one.length() > 160 ? one.substring(0, 160) + "…" : one;
  }
}
