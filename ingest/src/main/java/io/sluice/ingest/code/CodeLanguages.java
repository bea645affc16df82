package io.sluice.ingest.code;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tells the programming language of a source file, in the order a careful human would: a known file
 * name ({@code Makefile}), then a shebang ({@code #!/usr/bin/env python3}), then the extension;
 * where an extension is shared by several languages ({@code .h}, {@code .m}, {@code .pl}, {@code
 * .inc}), the content decides. Names are lowercase ({@code python}, {@code cpp}, {@code shell}).
 * Stateless and thread-safe.
 */
public final class CodeLanguages {

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("py", "python"),
          Map.entry("pyi", "python"),
          Map.entry("pyw", "python"),
          Map.entry("java", "java"),
          Map.entry("kt", "kotlin"),
          Map.entry("kts", "kotlin"),
          Map.entry("scala", "scala"),
          Map.entry("sc", "scala"),
          Map.entry("groovy", "groovy"),
          Map.entry("go", "go"),
          Map.entry("rs", "rust"),
          Map.entry("c", "c"),
          Map.entry("cc", "cpp"),
          Map.entry("cpp", "cpp"),
          Map.entry("cxx", "cpp"),
          Map.entry("c++", "cpp"),
          Map.entry("hpp", "cpp"),
          Map.entry("hh", "cpp"),
          Map.entry("hxx", "cpp"),
          Map.entry("tcc", "cpp"),
          Map.entry("ipp", "cpp"),
          Map.entry("cs", "csharp"),
          Map.entry("js", "javascript"),
          Map.entry("mjs", "javascript"),
          Map.entry("cjs", "javascript"),
          Map.entry("jsx", "javascript"),
          Map.entry("ts", "typescript"),
          Map.entry("tsx", "typescript"),
          Map.entry("mts", "typescript"),
          Map.entry("php", "php"),
          Map.entry("phtml", "php"),
          Map.entry("rb", "ruby"),
          Map.entry("rake", "ruby"),
          Map.entry("gemspec", "ruby"),
          Map.entry("pm", "perl"),
          Map.entry("pod", "perl"),
          Map.entry("t", "perl"),
          Map.entry("sh", "shell"),
          Map.entry("bash", "shell"),
          Map.entry("zsh", "shell"),
          Map.entry("ksh", "shell"),
          Map.entry("swift", "swift"),
          Map.entry("lua", "lua"),
          Map.entry("r", "r"),
          Map.entry("jl", "julia"),
          Map.entry("hs", "haskell"),
          Map.entry("ml", "ocaml"),
          Map.entry("mli", "ocaml"),
          Map.entry("fs", "fsharp"),
          Map.entry("ex", "elixir"),
          Map.entry("exs", "elixir"),
          Map.entry("erl", "erlang"),
          Map.entry("clj", "clojure"),
          Map.entry("dart", "dart"),
          Map.entry("sql", "sql"),
          Map.entry("html", "html"),
          Map.entry("htm", "html"),
          Map.entry("css", "css"),
          Map.entry("scss", "scss"),
          Map.entry("vue", "vue"),
          Map.entry("zig", "zig"),
          Map.entry("nim", "nim"),
          Map.entry("f90", "fortran"),
          Map.entry("f", "fortran"),
          Map.entry("asm", "assembly"),
          Map.entry("s", "assembly"),
          Map.entry("ps1", "powershell"),
          Map.entry("bat", "batchfile"),
          Map.entry("cmake", "cmake"),
          Map.entry("mk", "makefile"),
          Map.entry("proto", "protobuf"),
          Map.entry("tex", "tex"),
          Map.entry("md", "markdown"),
          Map.entry("rst", "restructuredtext"),
          Map.entry("yaml", "yaml"),
          Map.entry("yml", "yaml"),
          Map.entry("toml", "toml"),
          Map.entry("json", "json"),
          Map.entry("xml", "xml"),
          Map.entry("gradle", "groovy"),
          Map.entry("vim", "vim"),
          Map.entry("el", "emacs-lisp"));

  private static final Map<String, String> BY_FILE_NAME =
      Map.ofEntries(
          Map.entry("makefile", "makefile"),
          Map.entry("gnumakefile", "makefile"),
          Map.entry("dockerfile", "dockerfile"),
          Map.entry("cmakelists.txt", "cmake"),
          Map.entry("rakefile", "ruby"),
          Map.entry("gemfile", "ruby"),
          Map.entry("build.gradle", "groovy"),
          Map.entry("jenkinsfile", "groovy"),
          Map.entry("pkgbuild", "shell"),
          Map.entry(".bashrc", "shell"),
          Map.entry(".profile", "shell"),
          Map.entry("configure", "shell"));

  private static final Map<String, String> BY_INTERPRETER =
      Map.ofEntries(
          Map.entry("python", "python"),
          Map.entry("python2", "python"),
          Map.entry("python3", "python"),
          Map.entry("pypy", "python"),
          Map.entry("pypy3", "python"),
          Map.entry("sh", "shell"),
          Map.entry("bash", "shell"),
          Map.entry("dash", "shell"),
          Map.entry("zsh", "shell"),
          Map.entry("ksh", "shell"),
          Map.entry("perl", "perl"),
          Map.entry("ruby", "ruby"),
          Map.entry("node", "javascript"),
          Map.entry("nodejs", "javascript"),
          Map.entry("deno", "typescript"),
          Map.entry("php", "php"),
          Map.entry("lua", "lua"),
          Map.entry("Rscript", "r"),
          Map.entry("tclsh", "tcl"),
          Map.entry("awk", "awk"),
          Map.entry("gawk", "awk"),
          Map.entry("scala", "scala"),
          Map.entry("kotlin", "kotlin"));

  private static final Pattern CPP_MARKERS =
      Pattern.compile(
          "\\b(class\\s+\\w+\\s*[:{]|template\\s*<|namespace\\s+\\w+|std::|public:|private:|constexpr|nullptr|_GLIBCXX|typename\\s|#include\\s*<(iostream|string|vector|memory|map)>)|\\w::\\w");

  /**
   * Emacs and Vim mode lines ({@code -*- C++ -*-}, {@code -*- mode: python -*-}, {@code vim:
   * ft=sh}).
   */
  private static final Pattern MODE_LINE =
      Pattern.compile(
          "-\\*-\\s*(?:mode:\\s*)?([A-Za-z+#-]+)\\s*(?:;[^\\n"
              + "]*)?-\\*-|vim?:.*\\b(?:ft|filetype)=(\\w+)");

  private static final Map<String, String> BY_MODE =
      Map.ofEntries(
          Map.entry("c++", "cpp"),
          Map.entry("c", "c"),
          Map.entry("shell-script", "shell"),
          Map.entry("sh", "shell"),
          Map.entry("bash", "shell"),
          Map.entry("python", "python"),
          Map.entry("perl", "perl"),
          Map.entry("cperl", "perl"),
          Map.entry("ruby", "ruby"),
          Map.entry("java", "java"),
          Map.entry("js", "javascript"),
          Map.entry("javascript", "javascript"),
          Map.entry("makefile", "makefile"),
          Map.entry("make", "makefile"),
          Map.entry("tcl", "tcl"),
          Map.entry("lua", "lua"));

  /**
   * Shell without a shebang, e.g. bash-completion files: functions, locals, case/esac, completion
   * builtins.
   */
  private static final Pattern SHELL_MARKERS =
      Pattern.compile(
          "^\\s*(\\w[\\w-]*\\s*\\(\\)\\s*\\{?\\s*$|local\\s+\\w+|complete\\s+-|esac\\b|fi\\s*$|done\\s*$)",
          Pattern.MULTILINE);

  private static final Pattern OBJC_MARKERS =
      Pattern.compile("@(interface|implementation|property|end)\\b|#import\\b");
  private static final Pattern MATLAB_MARKERS =
      Pattern.compile("^\\s*(function\\s|end\\s*$|%)", Pattern.MULTILINE);
  private static final Pattern PERL_MARKERS =
      Pattern.compile("\\b(my\\s+[$@%]|use\\s+strict|sub\\s+\\w+\\s*\\{|package\\s+[\\w:]+;)");
  private static final Pattern PROLOG_MARKERS = Pattern.compile(":-|\\w+\\([^)]*\\)\\s*:-");
  private static final Pattern PHP_MARKERS = Pattern.compile("<\\?php");

  private CodeLanguages() {}

  /**
   * The language of the file at {@code path} (a path or file name; only its last segment counts)
   * with {@code head} being the first 16 KiB or so of its content (may be empty; license headers
   * can be long, so less may miss the markers of ambiguous extensions).
   */
  public static Optional<String> detect(String path, CharSequence head) {
    String name = fileName(path);
    String lower = name.toLowerCase(Locale.ROOT);
    String byName = BY_FILE_NAME.get(lower);
    if (byName != null) {
      return Optional.of(byName);
    }
    String ext = extension(lower);
    Optional<String> shebang = shebang(head);
    if (ext.isEmpty() || ext.equals("in")) {
      return shebang.or(() -> modeLine(head)).or(() -> extensionless(head));
    }
    switch (ext) {
      case "h":
        if (OBJC_MARKERS.matcher(head).find()) {
          return Optional.of("objective-c");
        }
        return Optional.of(CPP_MARKERS.matcher(head).find() ? "cpp" : "c");
      case "m":
        if (OBJC_MARKERS.matcher(head).find()) {
          return Optional.of("objective-c");
        }
        return MATLAB_MARKERS.matcher(head).find()
            ? Optional.of("matlab")
            : Optional.of("objective-c");
      case "pl":
        if (PERL_MARKERS.matcher(head).find() || shebang.filter("perl"::equals).isPresent()) {
          return Optional.of("perl");
        }
        return PROLOG_MARKERS.matcher(head).find() ? Optional.of("prolog") : Optional.of("perl");
      case "inc":
        return PHP_MARKERS.matcher(head).find() ? Optional.of("php") : Optional.empty();
      default:
        String byExt = BY_EXTENSION.get(ext);
        return byExt != null ? Optional.of(byExt) : shebang;
    }
  }

  /**
   * True when {@code path} names something this class knows by name or extension (content not
   * needed).
   */
  public static boolean isKnownSourceName(String path) {
    String lower = fileName(path).toLowerCase(Locale.ROOT);
    String ext = extension(lower);
    return BY_FILE_NAME.containsKey(lower)
        || BY_EXTENSION.containsKey(ext)
        || ext.equals("h")
        || ext.equals("m")
        || ext.equals("pl")
        || ext.equals("inc");
  }

  /** The language an editor mode line in the first lines names, if any. */
  static Optional<String> modeLine(CharSequence head) {
    CharSequence firstLines = head.subSequence(0, Math.min(head.length(), 1024));
    java.util.regex.Matcher m = MODE_LINE.matcher(firstLines);
    if (!m.find()) {
      return Optional.empty();
    }
    String mode = (m.group(1) != null ? m.group(1) : m.group(2)).toLowerCase(Locale.ROOT);
    return Optional.ofNullable(BY_MODE.get(mode));
  }

  /**
   * Files with neither extension, shebang nor mode line: only languages with unmistakable content.
   */
  private static Optional<String> extensionless(CharSequence head) {
    if (CPP_MARKERS.matcher(head).find() && head.toString().contains("#include")) {
      return Optional.of("cpp");
    }
    java.util.regex.Matcher shell = SHELL_MARKERS.matcher(head);
    int hits = 0;
    while (shell.find() && hits < 3) {
      hits++;
    }
    return hits >= 3 ? Optional.of("shell") : Optional.empty();
  }

  static Optional<String> shebang(CharSequence head) {
    if (head.length() < 3 || head.charAt(0) != '#' || head.charAt(1) != '!') {
      return Optional.empty();
    }
    int end = 2;
    while (end < head.length() && head.charAt(end) != '\n') {
      end++;
    }
    String[] parts = head.subSequence(2, end).toString().trim().split("\\s+");
    for (int i = 0; i < parts.length; i++) {
      String prog = parts[i].substring(parts[i].lastIndexOf('/') + 1);
      if (prog.equals("env") || prog.startsWith("-")) {
        continue;
      }
      prog = prog.replaceAll("[0-9.]+$", "");
      String lang = BY_INTERPRETER.get(prog);
      if (lang == null && !prog.isEmpty()) {
        lang = BY_INTERPRETER.get(parts[i].substring(parts[i].lastIndexOf('/') + 1));
      }
      return Optional.ofNullable(lang);
    }
    return Optional.empty();
  }

  private static String fileName(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }

  private static String extension(String lowerName) {
    int dot = lowerName.lastIndexOf('.');
    return dot <= 0 ? "" : lowerName.substring(dot + 1);
  }
}
