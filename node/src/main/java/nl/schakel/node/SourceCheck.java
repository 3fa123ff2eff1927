package nl.schakel.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import nl.schakel.covenant.CategoryDeclaration;
import nl.schakel.covenant.PartyKeys;
import nl.schakel.node.index.BuildProgress;
import nl.schakel.trust.identifier.IdentifierForm;
import nl.schakel.trust.pseudonym.HmacPseudonymiser;
import nl.schakel.trust.pseudonym.PseudonymKey;

/**
 * {@code schakel node check}: everything {@link Node#start} checks before it serves (analyst
 * issuers, party keys, PKI, convenant copies, keys, the source), then one full read of the source
 * into an index exactly as the node would build it, without starting the gRPC server, opening the
 * node's log or creating any file. What it reports holds no identifier: counts, row numbers and
 * reasons.
 */
public final class SourceCheck {
  private SourceCheck() {}

  /**
   * What the source holds as the node would ingest it.
   *
   * @param source the source as the node names it in logs
   * @param ingest accepted and rejected rows, with the first rejections (row number and reason)
   * @param perCategory records per category and subject type ({@code person}, {@code address},
   *     {@code organisation})
   * @param formsFound the identifier forms of the accepted records, by node.yaml name
   * @param declared {@code identifier-forms} from node.yaml, if set
   * @param footprintBytes the heap bytes of the index built from the records: the node needs this
   *     once, and twice during a refresh
   * @param notes things the operator should know that do not stop the node
   */
  public record Report(String source, IngestReport ingest, SortedMap<String, SortedMap<String, Long>> perCategory,
      Set<String> formsFound, Optional<List<String>> declared, long footprintBytes, List<String> notes) {
    public Report {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(ingest, "ingest");
      perCategory = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(perCategory));
      formsFound = Set.copyOf(formsFound);
      Objects.requireNonNull(declared, "declared");
      notes = List.copyOf(notes);
    }
  }

  /**
   * Checks {@code config} as the node would at start and reads its source fully. {@code progress}
   * hears the number of records read so far now and then, and every stage of the index build.
   *
   * @throws IOException with the node's own message when the node would not start
   */
  public static Report run(NodeConfig config, Clock clock, Consumer<String> progress) throws IOException {
    List<String> notes = new ArrayList<>();
    Node.credentialVerifier(config);
    if (config.analysts().isEmpty()) {
      notes.add("no analysts: the node would refuse every question as credential-unverifiable");
    }
    PartyKeys partyKeys;
    try {
      partyKeys = PartyKeys.readDirectory(config.partyKeys());
    } catch (IOException e) {
      throw new IOException("node " + config.party() + " cannot start: party-keys: " + e.getMessage(), e);
    }
    NodePki.load(config.party(), config.pki(), clock.instant());
    CovenantCopies covenants = CovenantCopies.load(config.covenants(), config.party(), partyKeys);
    var pseudonymiser = HmacPseudonymiser.create(PseudonymKey.readFrom(config.matchingKey()), Node.MATCHING);
    CellKeys cellKeys;
    if (Files.exists(config.cellKeyFile())) {
      cellKeys = CellKeys.loadOrCreate(config.cellKeyFile(), new SecureRandom());
    } else {
      // Not created here: check changes nothing. Noise keys do not change the index's size.
      byte[] secret = new byte[PseudonymKey.LENGTH];
      new SecureRandom().nextBytes(secret);
      cellKeys = CellKeys.of(secret);
      notes.add("cell-key " + config.cellKeyFile() + " does not exist yet: the node creates it at its first start");
    }
    stateDir(config.stateDir(), notes);

    RecordSource source = new RowAdmission(RecordSource.open(config.source().origin(), pseudonymiser,
        name -> Optional.ofNullable(System.getenv(name))), config.identifierForms(), clock);
    Consumer<BuildProgress> stages = p -> {
      if (p.stage() != BuildProgress.Stage.COLLECTING) {
        progress.accept("building the index: " + p.stage().name().toLowerCase(java.util.Locale.ROOT) + " ("
            + p.processed() + " of " + p.records() + " records)");
      }
    };
    RecordIndex.Builder builder = RecordIndex.builder(cellKeys, stages, config.identifierForms());
    SortedMap<String, SortedMap<String, Long>> perCategory = new TreeMap<>();
    Set<IdentifierForm> forms = EnumSet.noneOf(IdentifierForm.class);
    long[] read = {0};
    IngestReport ingest = source.read(r -> {
      builder.add(r);
      perCategory.computeIfAbsent(r.category(), c -> new TreeMap<>())
          .merge(WireForms.subjectType(r.form()).name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
      forms.add(r.form());
      if (++read[0] % 100_000 == 0) {
        progress.accept("read " + read[0] + " records");
      }
    });
    progress.accept("read " + read[0] + " records");
    RecordIndex index = builder.build();

    Set<String> undeclaredCategories = new TreeSet<>(perCategory.keySet());
    for (CovenantCopies.Copy c : covenants.all()) {
      c.covenant().party(config.party()).ifPresent(p -> p.categories().values().stream()
          .map(CategoryDeclaration::name).forEach(undeclaredCategories::remove));
    }
    if (!undeclaredCategories.isEmpty()) {
      notes.add("categories no convenant declares for " + config.party() + " (never asked about): "
          + String.join(", ", undeclaredCategories));
    }
    Set<String> found = new TreeSet<>(forms.stream().map(IdentifierForm::domain).toList());
    Optional<List<String>> declared = config.identifierForms().map(DeclaredForms::toNames);
    if (declared.isEmpty()) {
      notes.add("identifier-forms not set: the node answers for the forms found, and refuses the others as"
          + " identifier-form-unsupported");
    }
    return new Report(source.describe(), ingest, perCategory, found, declared, index.footprintBytes(), notes);
  }

  /** Whether the node could create or use its state directory; nothing is created or opened here. */
  private static void stateDir(Path dir, List<String> notes) throws IOException {
    if (Files.isDirectory(dir)) {
      if (!Files.isWritable(dir)) {
        throw new IOException("state-dir " + dir + " is not writable: the node keeps its audit log there");
      }
      return;
    }
    if (Files.exists(dir)) {
      throw new IOException("state-dir " + dir + " exists but is not a directory");
    }
    Path parent = dir.toAbsolutePath().getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null || !Files.isWritable(parent)) {
      throw new IOException("state-dir " + dir + " does not exist and cannot be created: " + parent + " is not writable");
    }
    notes.add("state-dir " + dir + " does not exist yet: the node creates it at its first start");
  }
}
