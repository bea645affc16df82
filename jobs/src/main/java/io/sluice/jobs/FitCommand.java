package io.sluice.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.core.report.TextTable;
import io.sluice.core.storage.Storage;
import io.sluice.filtering.select.BucketParams;
import io.sluice.filtering.select.ScalingFitter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice fit}: estimates the scaling parameters (a, b_i, τ_i) from a table of training
 * measurements by the paper's grid search, and writes them in the format {@code select --config}
 * reads.
 */
@Command(
    name = "fit",
    mixinStandardHelpOptions = true,
    description =
        "Fit (a, b_i, tau_i) by grid search from a TSV/CSV of bucket, samples_seen, pool_samples,"
            + " loss.")
public final class FitCommand implements Callable<Integer> {

  @Option(
      names = "--measurements",
      required = true,
      paramLabel = "FILE",
      description =
          "TSV or CSV with a header naming the columns bucket, samples_seen, pool_samples, loss")
  String measurements;

  @Option(
      names = "--d",
      defaultValue = "0.1",
      description = "irreducible loss d (default: ${DEFAULT-VALUE}, as the paper)")
  double d;

  @Option(
      names = "--grid",
      defaultValue = "100",
      description = "grid points per parameter (default: ${DEFAULT-VALUE}, as the paper)")
  int grid;

  @Option(
      names = "--normalizer",
      defaultValue = "100000",
      description = "samples per unit of the power law (default: ${DEFAULT-VALUE})")
  double normalizer;

  @Option(
      names = "--tokens-per-sample",
      defaultValue = "1024",
      description = "tokens in one sample, for select (default: ${DEFAULT-VALUE})")
  double tokensPerSample;

  @Option(names = "--output", required = true, paramLabel = "params.json")
  String output;

  @Mixin S3Options s3;

  @Override
  public Integer call() throws Exception {
    List<ScalingFitter.Measurement> rows = new ArrayList<>();
    try (Storage storage = Storage.forPath(measurements, s3.config());
        BufferedReader r =
            new BufferedReader(
                new InputStreamReader(storage.open(measurements), StandardCharsets.UTF_8))) {
      String header = r.readLine();
      if (header == null) {
        throw new IllegalArgumentException(measurements + " is empty");
      }
      String sep = header.contains("\t") ? "\t" : ",";
      List<String> cols = List.of(header.strip().split(sep));
      int[] at = new int[4];
      String[] names = {"bucket", "samples_seen", "pool_samples", "loss"};
      for (int i = 0; i < 4; i++) {
        at[i] = cols.indexOf(names[i]);
        if (at[i] < 0) {
          throw new IllegalArgumentException(
              measurements + ": no column '" + names[i] + "' in header " + cols);
        }
      }
      String line;
      int n = 1;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.strip().split(sep);
        try {
          rows.add(
              new ScalingFitter.Measurement(
                  Integer.parseInt(f[at[0]].strip()),
                  Double.parseDouble(f[at[1]].strip()),
                  Double.parseDouble(f[at[2]].strip()),
                  Double.parseDouble(f[at[3]].strip())));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(
              measurements
                  + " line "
                  + n
                  + ": cannot read '"
                  + line
                  + "' ("
                  + e.getMessage()
                  + ")");
        }
      }
    }
    ScalingFitter.Fit fit = new ScalingFitter(grid, normalizer).fit(rows, d);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "source",
        "sluice fit on " + measurements + " (" + rows.size() + " measurements, grid " + grid + ")");
    out.put("a", fit.a());
    out.put("d", fit.d());
    out.put("normalizer", normalizer);
    out.put("tokens_per_sample", tokensPerSample);
    out.put("squared_error", fit.squaredError());
    List<Map<String, Object>> buckets = new ArrayList<>();
    TextTable t = new TextTable("bucket", "b", "tau");
    for (BucketParams b : fit.buckets()) {
      buckets.add(Map.of("bucket", b.bucket(), "b", b.b(), "tau", b.tau()));
      t.row(b.bucket(), b.b(), b.tau());
    }
    out.put("buckets", buckets);
    try (Storage storage = Storage.forPath(output, s3.config());
        OutputStream o = storage.create(output)) {
      o.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(out));
    }
    System.out.printf(
        "fit: a = %.5f, d = %.3f, squared error %.3g over %d measurements -> %s%n%n",
        fit.a(), fit.d(), fit.squaredError(), rows.size(), output);
    System.out.print(t.render());
    return 0;
  }

  public static void main(String[] args) {
    System.exit(SluiceCli.execute(new FitCommand(), args));
  }
}
