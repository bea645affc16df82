package io.sluice.core.doc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON mapper for document records (JSONL inputs and outputs). Jackson caps strings at 20 MB
 * by default; a document can be larger (the caller's record limit bounds it), so the cap is lifted.
 * A configured {@code ObjectMapper} is thread-safe, so one is shared.
 */
public final class DocumentJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
              .build());

  private DocumentJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
