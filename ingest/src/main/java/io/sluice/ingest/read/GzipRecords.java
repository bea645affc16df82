package io.sluice.ingest.read;

import io.sluice.core.doc.Quarantined;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads the records of a gzip file (one member or many) so that nothing decoded from a damaged
 * member reaches the sink. A gzip member's checksum (CRC-32 and length) is only known at its end,
 * while a damaged deflate stream can decode into plausible garbage long before that; so the records
 * decoded from a member are held back until the member's trailer has been checked (by commons
 * compress, which checks it before reporting the member's end), then passed on. When a member fails
 * its check, the records held from it are quarantined as {@code corrupt_input} one by one, with the
 * member and the check that failed, and reading stops there: the records of the members before it
 * are kept. A member larger than {@link #MAX_HELD_CHARS} is not held whole: when the held records
 * reach that size, the member is first checked by decompressing it once more on its own, and its
 * records then flow straight through (or, if it fails, are quarantined as they come).
 *
 * <p>A file that ends early (truncated) keeps every record decoded before the cut: a prefix of a
 * deflate stream decodes correctly, and only the unfinished last record is lost (quarantined as
 * {@code truncated_input}). The one damage this cannot tell from a cut is a member whose deflate
 * data, once damaged, still decodes without an error through all the bytes after it to the end
 * of the file: its check never comes. That is rare (damaged deflate data nearly always fails to
 * decode within a few bytes, or ends its member and fails the CRC, both caught) and the price of
 * refusing it would be every record of a cut single-member file, the common case. A file that is
 * not gzip at all is quarantined as {@code corrupt_input} naming its first bytes. Not thread-safe:
 * one reader per file.
 */
final class GzipRecords {

  /** Characters of held records above which a member is checked ahead instead of held whole. */
  static final long MAX_HELD_CHARS = 32L << 20;

  /** Opens the file from its first byte; called once per read, and once per member checked ahead. */
  interface Opener {
    InputStream open() throws IOException;
  }

  /** Reads the decompressed stream into a sink (e.g. {@link JsonlReader}). */
  interface Body {
    void read(InputStream decompressed, RecordSink sink) throws IOException;
  }

  private GzipRecords() {}

  static void read(Opener opener, String name, RecordSink sink, Body body) throws IOException {
    read(opener, name, sink, body, MAX_HELD_CHARS);
  }

  /**
   * @param maxHeldChars characters of held records above which a member is checked ahead (tests
   *     use a small one)
   */
  static void read(Opener opener, String name, RecordSink sink, Body body, long maxHeldChars)
      throws IOException {
    HoldBack held = new HoldBack(sink, name, member -> verifyAhead(opener, member), maxHeldChars);
    try (BufferedInputStream raw = new BufferedInputStream(opener.open(), 1 << 16)) {
      raw.mark(2);
      byte[] magic = raw.readNBytes(2);
      raw.reset();
      if (magic.length < 2 || (magic[0] & 0xff) != 0x1f || (magic[1] & 0xff) != 0x8b) {
        sink.quarantine(
            new Quarantined(
                name,
                0,
                -1,
                "corrupt_input",
                "not a gzip file (first bytes "
                    + hex(magic)
                    + ", a gzip file starts 1f 8b): rename it, or give --format",
                ""));
        return;
      }
      try {
        body.read(new Members(raw, held::memberVerified), held);
        held.release(); // the last member passed its check when its end was read
      } catch (EOFException e) {
        held.release(); // a truncated deflate stream is a correct prefix of the data
        sink.quarantine(
            new Quarantined(
                name,
                -1,
                -1,
                "truncated_input",
                "input ends early in gzip member "
                    + held.member()
                    + " ("
                    + e.getMessage()
                    + "); records before the cut were kept",
                ""));
      } catch (IOException e) {
        if (!isGzipDamage(e)) {
          throw e;
        }
        held.corrupt(e.getMessage());
      }
    }
  }

  /**
   * The decompressed bytes of a gzip file, one member after another, each through its own
   * commons-compress stream (which checks the member's trailer before it reports the member's
   * end). The end of a member is told to the listener only when the reader asks for bytes past it:
   * a line reader asks for more only after it has passed on every whole line it holds, so what was
   * decoded before the event came from the checked member (or earlier ones).
   */
  private static final class Members extends InputStream {
    private final BufferedInputStream raw; // mark-capable: each member stream stops at its end
    private final Runnable memberEnded;
    private GzipCompressorInputStream member;
    private boolean done;

    Members(BufferedInputStream raw, Runnable memberEnded) {
      this.raw = raw;
      this.memberEnded = memberEnded;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (!done) {
        if (member == null) {
          raw.mark(1);
          if (raw.read() < 0) {
            done = true;
            break;
          }
          raw.reset();
          member = new GzipCompressorInputStream(raw, false);
        }
        int n = member.read(b, off, len);
        if (n >= 0) {
          return n;
        }
        member = null; // its trailer was checked before it said -1
        memberEnded.run();
      }
      return -1;
    }
  }

  /**
   * Checks member {@code member} (0-based) of the file by decompressing the file again up to that
   * member's end.
   *
   * @return null when it passes, else why it fails
   */
  private static String verifyAhead(Opener opener, int member) throws IOException {
    try (BufferedInputStream raw = new BufferedInputStream(opener.open(), 1 << 16)) {
      byte[] buf = new byte[1 << 16];
      for (int m = 0; m <= member; m++) {
        GzipCompressorInputStream gz = new GzipCompressorInputStream(raw, false);
        while (gz.read(buf) >= 0) {
          // decompress and discard: only the trailer check matters
        }
      }
      return null;
    } catch (EOFException e) {
      return null; // truncated, not corrupt: what was decoded is a correct prefix
    } catch (IOException e) {
      if (isGzipDamage(e)) {
        return e.getMessage();
      }
      throw e;
    }
  }

  private static boolean isGzipDamage(IOException e) {
    // commons-compress's words for a damaged member, a bad header, or bytes after the last member
    String m = String.valueOf(e.getMessage());
    return m.contains("corrupt") || m.contains(".gz") || m.contains("Unexpected data");
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(s.length() == 0 ? "" : " ").append(String.format("%02x", x & 0xff));
    }
    return s.length() == 0 ? "(none)" : s.toString();
  }

  /** Checks a member ahead of the main read. */
  private interface AheadCheck {
    String verify(int member) throws IOException;
  }

  /**
   * The sink in front of the real one: holds documents and quarantined records until the member
   * they came from has passed its check.
   */
  private static final class HoldBack implements RecordSink {
    private final RecordSink sink;
    private final String name;
    private final AheadCheck ahead;
    private final long maxHeldChars;
    private final List<Object> held = new ArrayList<>();
    private long heldChars;
    private int member;
    private boolean memberChecked; // this member passed a check ahead: pass records through
    private String memberDamage; // this member failed a check ahead: quarantine records as they come

    HoldBack(RecordSink sink, String name, AheadCheck ahead, long maxHeldChars) {
      this.sink = sink;
      this.name = name;
      this.ahead = ahead;
      this.maxHeldChars = maxHeldChars;
    }

    int member() {
      return member;
    }

    @Override
    public void document(RawDocument doc) {
      if (memberDamage != null) {
        sink.quarantine(quarantined(doc, memberDamage));
        return;
      }
      if (memberChecked) {
        sink.document(doc);
        return;
      }
      held.add(doc);
      heldChars += doc.content().bytes();
      if (heldChars > maxHeldChars) {
        checkAhead();
      }
    }

    @Override
    public void quarantine(Quarantined record) {
      if (memberChecked || memberDamage != null) {
        sink.quarantine(record);
      } else {
        held.add(record);
      }
    }

    @Override
    public void skipped(String what) {
      sink.skipped(what);
    }

    private void checkAhead() {
      String damage;
      try {
        damage = ahead.verify(member);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      if (damage == null) {
        memberChecked = true;
        release();
      } else {
        memberDamage = describe(damage);
        for (Object o : held) {
          sink.quarantine(o instanceof RawDocument d ? quarantined(d, memberDamage) : (Quarantined) o);
        }
        held.clear();
        heldChars = 0;
      }
    }

    /** The current member passed its trailer check: what it decoded goes on. */
    void memberVerified() {
      release();
      member++;
      memberChecked = false;
      memberDamage = null;
    }

    void release() {
      for (Object o : held) {
        if (o instanceof RawDocument d) {
          sink.document(d);
        } else {
          sink.quarantine((Quarantined) o);
        }
      }
      held.clear();
      heldChars = 0;
    }

    /**
     * The current member failed its check: what it decoded is quarantined, one record each, one
     * more record says what happened, and the read ends.
     */
    void corrupt(String why) {
      String detail = describe(why);
      int records = 0;
      for (Object o : held) {
        if (o instanceof RawDocument d) {
          sink.quarantine(quarantined(d, detail));
          records++;
        } else {
          sink.quarantine((Quarantined) o);
        }
      }
      held.clear();
      heldChars = 0;
      sink.quarantine(
          new Quarantined(
              name,
              -1,
              -1,
              "corrupt_input",
              detail
                  + "; "
                  + records
                  + " records decoded from it were quarantined, those of the members before it"
                  + " were kept, and nothing after it was read",
              ""));
    }

    private String describe(String why) {
      return "gzip member " + member + " fails its check (" + why + ")";
    }

    private Quarantined quarantined(RawDocument d, String detail) {
      String sample =
          d.content() instanceof RawDocument.Text t
              ? t.text()
              : d.content() instanceof RawDocument.Html h ? h.html() : "";
      return new Quarantined(name, d.offset(), d.index(), "corrupt_input", detail, sample);
    }
  }
}
