package io.sluice.ingest.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.testing.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CodeLanguagesTest {

  @Test
  void ambiguousExtensionsAreDecidedByContent() {
    assertEquals(
        Optional.of("c"),
        CodeLanguages.detect("lua.h", "#include <stddef.h>\nint lua_gettop(lua_State *L);"));
    assertEquals(
        Optional.of("cpp"),
        CodeLanguages.detect("json.h", "namespace nlohmann {\ntemplate<typename T> class X {};"));
    assertEquals(
        Optional.of("objective-c"),
        CodeLanguages.detect("View.h", "#import <UIKit/UIKit.h>\n@interface View : UIView"));
    assertEquals(Optional.of("perl"), CodeLanguages.detect("x.pl", "use strict;\nmy $x = 1;"));
    assertEquals(
        Optional.of("prolog"),
        CodeLanguages.detect("family.pl", "parent(tom, bob).\nancestor(X, Y) :- parent(X, Y)."));
  }

  @Test
  void namesAndShebangs() {
    assertEquals(Optional.of("makefile"), CodeLanguages.detect("src/Makefile", ""));
    assertEquals(
        Optional.of("python"), CodeLanguages.detect("bin/tool", "#!/usr/bin/env python3\n"));
    assertEquals(Optional.of("shell"), CodeLanguages.detect("configure.in", "#!/bin/bash -e\n"));
    assertEquals(Optional.of("perl"), CodeLanguages.detect("script", "#!/usr/bin/perl -w\n"));
    assertEquals(Optional.empty(), CodeLanguages.detect("README", "hello"));
  }

  /** Every file of the 14-language shared code corpus, by path and content, against its label. */
  @Test
  void accuracyOnSharedCodeCorpus() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, Integer> misses = new TreeMap<>();
    int total = 0;
    int correct = 0;
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(SharedData.file("code"), "code-*.jsonl.gz")) {
      for (Path f : files) {
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            JsonNode n = json.readTree(line);
            String text = n.get("text").asText();
            Optional<String> got =
                CodeLanguages.detect(
                    n.get("path").asText(), text.substring(0, Math.min(16384, text.length())));
            total++;
            if (got.filter(n.get("lang").asText()::equals).isPresent()) {
              correct++;
            } else {
              misses.merge(n.get("lang").asText() + "->" + got.orElse("none"), 1, Integer::sum);
            }
          }
        }
      }
    }
    double accuracy = (double) correct / total;
    assertTrue(total > 6000, "files read: " + total);
    assertTrue(accuracy >= 0.97, "accuracy " + accuracy + " misses " + misses);
  }
}
