package io.sluice.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sluice.core.release.ReleaseManifest;
import io.sluice.core.release.Releases;
import io.sluice.core.report.TextTable;
import io.sluice.core.storage.Storage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice release}: publish, list, verify and fetch dataset releases (DESIGN.md §4). */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = "Publish, list, verify and fetch immutable dataset releases (local or s3://).",
    subcommands = {
      ReleaseCommand.Publish.class,
      ReleaseCommand.ListReleases.class,
      ReleaseCommand.Verify.class,
      ReleaseCommand.Fetch.class
    })
public final class ReleaseCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(
      name = "publish",
      description =
          "Upload a pipeline output as <to>/<name>/<version>/ with a dataset card; manifest.json"
              + " (every file's sha256) is written last; an existing version is never overwritten.")
  static final class Publish implements Callable<Integer> {
    // Not the standard help mixin: its -V/--version would take the release's --version.
    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--version", required = true)
    String version;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "ROOT",
        description = "local dir or s3://bucket/prefix")
    String to;

    @Option(
        names = "--from",
        paramLabel = "DIR",
        description = "the pipeline output to publish (default: the 'output' of --config)")
    Path from;

    @Option(
        names = "--config",
        paramLabel = "F.yaml",
        description = "the pipeline config, recorded in the manifest")
    String config;

    @Option(
        names = "--licence",
        paramLabel = "TEXT",
        description = "licence statement for the dataset card")
    String licence;

    @Mixin S3Options s3;

    @Override
    public Integer call() throws Exception {
      JsonNode pipeline = null;
      if (config != null) {
        try (Storage s = Storage.forPath(config, s3.config());
            InputStream in = s.open(config)) {
          pipeline = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        if (from == null) {
          from = Path.of(pipeline.path("output").asText());
        }
      }
      if (from == null) {
        throw new IllegalArgumentException("release publish needs --from DIR or --config F.yaml");
      }
      java.nio.file.Path recorded = from.resolve("pipeline.yaml");
      if (pipeline == null && java.nio.file.Files.isRegularFile(recorded)) {
        pipeline = new ObjectMapper(new YAMLFactory()).readTree(recorded.toFile());
      }
      Releases.Published p =
          new Releases(s3.config(), System.err)
              .publish(
                  new Releases.PublishRequest(
                      from, to, name, version, pipeline, licence, SluiceCli.VERSION));
      System.out.printf(
          Locale.ROOT,
          "published %s: %d files, %,d bytes%n",
          p.path(),
          p.manifest().files().size(),
          p.manifest().totalBytes());
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the releases under a root.")
  static final class ListReleases implements Callable<Integer> {
    @Parameters(paramLabel = "ROOT")
    String root;

    @Mixin S3Options s3;

    @Override
    public Integer call() throws Exception {
      TextTable t =
          new TextTable("name", "version", "created", "files", "bytes", "tokenizer", "path");
      for (Releases.Listed l : new Releases(s3.config(), System.err).list(root)) {
        ReleaseManifest m = l.manifest();
        t.row(
            m.name(),
            m.version(),
            m.created(),
            m.files().size(),
            String.format(Locale.ROOT, "%,d", m.totalBytes()),
            m.tokenizer() == null ? "" : m.tokenizer(),
            l.path());
      }
      System.out.print(t.render());
      return 0;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = "Re-read every file of a release and check it against the manifest's sha256.")
  static final class Verify implements Callable<Integer> {
    @Parameters(paramLabel = "RELEASE", description = "<root>/<name>/<version>")
    String release;

    @Mixin S3Options s3;

    @Override
    public Integer call() throws Exception {
      Releases.Verification v = new Releases(s3.config(), System.err).verify(release);
      for (String p : v.problems()) {
        System.out.println("BAD  " + p);
      }
      System.out.printf(
          Locale.ROOT,
          "%s: %d files, %,d bytes checked: %s%n",
          v.path(),
          v.files(),
          v.bytes(),
          v.ok() ? "all match the manifest" : v.problems().size() + " problem(s)");
      return v.ok() ? 0 : 1;
    }
  }

  @Command(
      name = "fetch",
      mixinStandardHelpOptions = true,
      description = "Download a release into DIR/<name>/<version>, verifying every file.")
  static final class Fetch implements Callable<Integer> {
    @Parameters(paramLabel = "RELEASE")
    String release;

    @Option(names = "--to", required = true, paramLabel = "DIR")
    Path to;

    @Mixin S3Options s3;

    @Override
    public Integer call() throws Exception {
      Path p = new Releases(s3.config(), System.err).fetch(release, to);
      System.out.println(
          "fetched " + release + " into " + p.toAbsolutePath() + " (all sha256 verified)");
      return 0;
    }
  }
}
