package nl.schakel.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The RFC 9162 / CT vectors of {@code rfc9162-vectors.txt}, parsed. */
final class TestVectors {

  record Inclusion(long index, long treeSize, List<byte[]> path) {}

  record Consistency(long first, long second, List<byte[]> proof) {}

  record BadInclusion(long index, long treeSize, List<byte[]> path, String expectedMessage) {}

  record BadConsistency(long first, long second, List<byte[]> proof, String expectedMessage) {}

  record Node(int level, long index, byte[] hash) {}

  static final HexFormat HEX = HexFormat.of();

  final List<byte[]> leaves = new ArrayList<>();
  final Map<Long, byte[]> roots = new TreeMap<>();
  final List<Node> nodes = new ArrayList<>();
  final List<Inclusion> inclusions = new ArrayList<>();
  final List<Consistency> consistencies = new ArrayList<>();
  final List<BadInclusion> badInclusions = new ArrayList<>();
  final List<BadConsistency> badConsistencies = new ArrayList<>();

  static TestVectors load() {
    TestVectors vectors = new TestVectors();
    try (InputStream in = TestVectors.class.getResourceAsStream("rfc9162-vectors.txt")) {
      if (in == null) {
        throw new IllegalStateException("rfc9162-vectors.txt is missing from the test classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          vectors.parse(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return vectors;
  }

  byte[] leafHash(int index) {
    return MerkleHash.leafHash(leaves.get(index));
  }

  private void parse(String line) {
    String message = "";
    int dashes = line.indexOf(" -- ");
    if (dashes >= 0) {
      message = line.substring(dashes + 4).strip();
      line = line.substring(0, dashes);
    }
    String[] f = line.split("\\s+");
    switch (f[0]) {
      case "leaf" -> {
        if (Integer.parseInt(f[1]) != leaves.size()) {
          throw new IllegalStateException("leaves must be listed in order: " + line);
        }
        leaves.add(f[2].equals("-") ? new byte[0] : HEX.parseHex(f[2]));
      }
      case "root" -> roots.put(Long.parseLong(f[1]), HEX.parseHex(f[2]));
      case "node" -> nodes.add(new Node(Integer.parseInt(f[1]), Long.parseLong(f[2]), HEX.parseHex(f[3])));
      case "inclusion" -> inclusions.add(new Inclusion(Long.parseLong(f[1]), Long.parseLong(f[2]), hashes(f, 3)));
      case "consistency" -> consistencies.add(new Consistency(Long.parseLong(f[1]), Long.parseLong(f[2]), hashes(f, 3)));
      case "bad-inclusion" -> badInclusions.add(new BadInclusion(Long.parseLong(f[1]), Long.parseLong(f[2]), hashes(f, 3), message));
      case "bad-consistency" -> badConsistencies.add(new BadConsistency(Long.parseLong(f[1]), Long.parseLong(f[2]), hashes(f, 3), message));
      default -> throw new IllegalStateException("unknown vector line: " + line);
    }
  }

  private static List<byte[]> hashes(String[] fields, int from) {
    return Arrays.stream(fields, from, fields.length).map(HEX::parseHex).toList();
  }
}
