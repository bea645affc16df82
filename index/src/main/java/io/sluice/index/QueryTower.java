package io.sluice.index;

import java.util.List;

/**
 * Turns query texts into vectors in the document tower's space, in one of three forms: the
 * document tower itself (the teacher, with its query prefix); a small ONNX encoder plus a distilled
 * {@link ProjectionHead}; or a distilled {@link StaticEmbeddings} tower (no transformer at query
 * time). Owns what it runs; thread-safe after construction.
 */
final class QueryTower implements AutoCloseable {

  private final OnnxEncoder encoder; // null for a static tower
  private final ProjectionHead head; // null for the teacher and a static tower
  private final StaticEmbeddings tokens; // null unless static
  private final String name;

  private QueryTower(
      OnnxEncoder encoder, ProjectionHead head, StaticEmbeddings tokens, String name) {
    this.encoder = encoder;
    this.head = head;
    this.tokens = tokens;
    this.name = name;
  }

  /**
   * An ONNX encoder, with a distilled head or (the teacher) without.
   *
   * @param encoder ownership passes to this tower
   * @param head null for the teacher
   */
  static QueryTower encoder(OnnxEncoder encoder, ProjectionHead head) {
    if (head != null && head.dIn != encoder.dim()) {
      encoder.close();
      throw new IllegalArgumentException(
          "dimension mismatch: query encoder "
              + encoder.config().name()
              + "="
              + encoder.dim()
              + " vs query head input="
              + head.dIn);
    }
    return new QueryTower(
        encoder, head, null, encoder.config().name() + (head == null ? "" : "+head"));
  }

  /**
   * A static tower.
   *
   * @param tokens ownership passes to this tower
   * @param teacher the name of the tower it was distilled from, for {@link #name()}
   */
  static QueryTower of(StaticEmbeddings tokens, String teacher) {
    return new QueryTower(null, null, tokens, "static(" + teacher + ")");
  }

  String name() {
    return name;
  }

  int dim() {
    if (tokens != null) {
      return tokens.dim();
    }
    return head == null ? encoder.dim() : head.dOut;
  }

  /** n × dim normalised vectors; {@code batch} is the encoder's batch size (unused by static). */
  float[] encode(List<String> queries, int batch) {
    if (tokens != null) {
      return tokens.encode(queries);
    }
    float[] v = encoder.encodeQueries(queries, batch);
    return head == null ? v : head.apply(v);
  }

  @Override
  public void close() {
    if (tokens != null) {
      tokens.close();
    } else {
      encoder.close();
    }
  }
}
