// Converts the Korean (Nori) dictionary shipped in lucene-analyzers-nori into LmToLlm's own dictionary format.
// Uses only Lucene's public API to enumerate the entries (plus reflection to reach the FST and the matrix size),
// and the running JDK's Character tables for the per-character properties the tokenizer needs.
// Usage: javac -cp LUCENE_JARS NoriDictionaryConverter.java && java -cp LUCENE_JARS:. NoriDictionaryConverter OUT.bin
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.lucene.analysis.ko.POS;
import org.apache.lucene.analysis.ko.dict.CharacterDefinition;
import org.apache.lucene.analysis.ko.dict.ConnectionCosts;
import org.apache.lucene.analysis.ko.dict.Dictionary;
import org.apache.lucene.analysis.ko.dict.TokenInfoDictionary;
import org.apache.lucene.analysis.ko.dict.TokenInfoFST;
import org.apache.lucene.analysis.ko.dict.UnknownDictionary;
import org.apache.lucene.util.IntsRef;
import org.apache.lucene.util.fst.FST;
import org.apache.lucene.util.fst.IntsRefFSTEnum;

public final class NoriDictionaryConverter {
  /** Little-endian growable byte writer. */
  static final class Out {
    ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    void ensure(int n) {
      if (buf.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
    }
    void i8(int v) { ensure(1); buf.put((byte) v); }
    void i16(int v) { ensure(2); buf.putShort((short) v); }
    void i32(int v) { ensure(4); buf.putInt(v); }
    void i64(long v) { ensure(8); buf.putLong(v); }
    void str(String s) { byte[] b = s.getBytes(StandardCharsets.UTF_8); i32(b.length); ensure(b.length); buf.put(b); }
    void section(String tag) { byte[] b = tag.getBytes(StandardCharsets.US_ASCII); if (b.length != 4) throw new IllegalArgumentException(tag); ensure(4); buf.put(b); }
  }

  /** Interned strings as one UTF-16 pool with offsets. */
  static final class Pool {
    final Map<String, Integer> ids = new HashMap<>();
    final List<String> strings = new ArrayList<>();
    int id(String s) {
      if (s == null) return -1;
      Integer id = ids.get(s);
      if (id == null) { id = strings.size(); ids.put(s, id); strings.add(s); }
      return id;
    }
    void write(Out out) {
      out.i32(strings.size());
      int offset = 0;
      for (String s : strings) { out.i32(offset); offset += s.length(); }
      out.i32(offset);
      for (String s : strings) for (int i = 0; i < s.length(); i++) out.i16(s.charAt(i));
    }
  }

  static final class Entries {
    final List<int[]> rows = new ArrayList<>(); // leftId, rightId, cost, posType, leftPos, rightPos, reading, morphStart
    final List<int[]> morphemes = new ArrayList<>(); // tag, surface string id
    void add(Dictionary dict, int wordId, char[] surface, Pool pool) {
      Dictionary.Morpheme[] ms = dict.getMorphemes(wordId, surface, 0, surface.length);
      int morphStart = ms == null ? -1 : morphemes.size();
      if (ms != null) for (Dictionary.Morpheme m : ms) morphemes.add(new int[] {m.posTag.ordinal(), pool.id(m.surfaceForm)});
      rows.add(new int[] {dict.getLeftId(wordId), dict.getRightId(wordId), dict.getWordCost(wordId), dict.getPOSType(wordId).ordinal(),
          dict.getLeftPOS(wordId).ordinal(), dict.getRightPOS(wordId).ordinal(), pool.id(dict.getReading(wordId)), morphStart,
          ms == null ? 0 : ms.length});
    }
    void write(Out out) {
      out.i32(rows.size());
      for (int[] r : rows) out.i16(r[0]);
      for (int[] r : rows) out.i16(r[1]);
      for (int[] r : rows) out.i16(r[2]);
      for (int[] r : rows) out.i8(r[3]);
      for (int[] r : rows) out.i8(r[4]);
      for (int[] r : rows) out.i8(r[5]);
      for (int[] r : rows) out.i32(r[6]);
      for (int[] r : rows) out.i32(r[7]);
      for (int[] r : rows) out.i8(r[8]);
      out.i32(morphemes.size());
      for (int[] m : morphemes) out.i8(m[0]);
      for (int[] m : morphemes) out.i32(m[1]);
    }
  }

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    if (args.length != 1) { System.err.println("usage: NoriDictionaryConverter OUT.bin"); System.exit(2); }
    Out out = new Out();
    Pool pool = new Pool();

    out.section("META");
    out.str("lucene-analyzers-nori " + org.apache.lucene.util.Version.LATEST + " (mecab-ko-dic 2.0.3-20170922); character tables of Java "
        + System.getProperty("java.version"));

    out.section("TAGS");
    out.i32(POS.Tag.values().length);
    for (POS.Tag t : POS.Tag.values()) out.str(t.name());
    out.i32(POS.Type.values().length);
    for (POS.Type t : POS.Type.values()) out.str(t.name());

    // Per UTF-16 unit: dictionary character class, Java general category, Java script ordinal.
    UnknownDictionary unk = UnknownDictionary.getInstance();
    CharacterDefinition cd = unk.getCharacterDefinition();
    out.section("CHAR");
    Field invokeField = CharacterDefinition.class.getDeclaredField("invokeMap");
    Field groupField = CharacterDefinition.class.getDeclaredField("groupMap");
    invokeField.setAccessible(true);
    groupField.setAccessible(true);
    boolean[] invoke = (boolean[]) invokeField.get(cd);
    boolean[] group = (boolean[]) groupField.get(cd);
    out.i32(CharacterDefinition.CLASS_COUNT);
    for (int c = 0; c < CharacterDefinition.CLASS_COUNT; c++) out.i8((invoke[c] ? 1 : 0) | (group[c] ? 2 : 0));
    for (int ch = 0; ch < 0x10000; ch++) out.i8(cd.getCharacterClass((char) ch));
    for (int ch = 0; ch < 0x10000; ch++) out.i8(Character.getType(ch));
    Character.UnicodeScript[] scripts = Character.UnicodeScript.values();
    if (scripts.length > 255) throw new IllegalStateException("too many scripts");
    out.i32(Character.UnicodeScript.COMMON.ordinal());
    out.i32(Character.UnicodeScript.INHERITED.ordinal());
    for (int ch = 0; ch < 0x10000; ch++) out.i8(Character.UnicodeScript.of(ch).ordinal());

    out.section("LOWR");
    List<int[]> lower = new ArrayList<>();
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      int l = Character.toLowerCase(cp);
      if (l != cp) lower.add(new int[] {cp, l});
    }
    out.i32(lower.size());
    for (int[] p : lower) { out.i32(p[0]); out.i32(p[1]); }

    out.section("COST");
    ConnectionCosts costs = ConnectionCosts.getInstance();
    Field fwd = ConnectionCosts.class.getDeclaredField("forwardSize");
    Field buffer = ConnectionCosts.class.getDeclaredField("buffer");
    fwd.setAccessible(true);
    buffer.setAccessible(true);
    int forwardSize = fwd.getInt(costs);
    int backwardSize = ((ByteBuffer) buffer.get(costs)).limit() / 2 / forwardSize;
    out.i32(forwardSize);
    out.i32(backwardSize);
    for (int b = 0; b < backwardSize; b++) for (int f = 0; f < forwardSize; f++) out.i16(costs.get(f, b));

    // Known words: surfaces in the FST's (UTF-16 unit) order, each with its word entries in dictionary order.
    TokenInfoDictionary dict = TokenInfoDictionary.getInstance();
    Method internal = TokenInfoFST.class.getDeclaredMethod("getInternalFST");
    internal.setAccessible(true);
    FST<Long> fst = (FST<Long>) internal.invoke(dict.getFST());
    IntsRefFSTEnum<Long> it = new IntsRefFSTEnum<>(fst);
    IntsRefFSTEnum.InputOutput<Long> io;
    IntsRef ids = new IntsRef();
    List<String> surfaces = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    Entries known = new Entries();
    while ((io = it.next()) != null) {
      char[] surface = new char[io.input.length];
      for (int i = 0; i < surface.length; i++) surface[i] = (char) io.input.ints[io.input.offset + i];
      surfaces.add(new String(surface));
      starts.add(known.rows.size());
      dict.lookupWordIds(io.output.intValue(), ids);
      for (int k = 0; k < ids.length; k++) known.add(dict, ids.ints[ids.offset + k], surface, pool);
    }
    starts.add(known.rows.size());
    out.section("SURF");
    out.i32(surfaces.size());
    int offset = 0;
    for (String s : surfaces) { out.i32(offset); offset += s.length(); }
    out.i32(offset);
    for (String s : surfaces) for (int i = 0; i < s.length(); i++) out.i16(s.charAt(i));
    for (int s : starts) out.i32(s);
    out.section("WORD");
    known.write(out);

    // Unknown words: entries per character class.
    out.section("UNKW");
    Entries unknown = new Entries();
    List<Integer> classStarts = new ArrayList<>();
    for (int c = 0; c < CharacterDefinition.CLASS_COUNT; c++) {
      classStarts.add(unknown.rows.size());
      unk.lookupWordIds(c, ids);
      for (int k = 0; k < ids.length; k++) unknown.add(unk, ids.ints[ids.offset + k], new char[0], pool);
    }
    classStarts.add(unknown.rows.size());
    // The tokenizer's unknown-word unigrams use unknown word id 0 (whatever entry the dictionary holds first): one extra row.
    unknown.add(unk, 0, new char[0], pool);
    out.i32(classStarts.size());
    for (int s : classStarts) out.i32(s);
    unknown.write(out);

    out.section("STRS");
    pool.write(out);
    out.section("END.");

    ByteBuffer payload = out.buf.flip();
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    header.put("LMTLNORI".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt((int) crc.getValue()).putLong(bytes.length);
    try (OutputStream os = new FileOutputStream(args[0])) {
      os.write(header.array());
      os.write(bytes);
    }
    System.err.println("surfaces=" + surfaces.size() + " words=" + known.rows.size() + " morphemes=" + known.morphemes.size()
        + " strings=" + pool.strings.size() + " matrix=" + forwardSize + "x" + backwardSize + " lower=" + lower.size() + " bytes=" + bytes.length);
  }
}
