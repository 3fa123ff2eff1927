package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import nl.schakel.proto.v1.IdentifierForm;
import nl.schakel.proto.v1.Subject;
import nl.schakel.proto.v1.SubjectType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Held questions survive a restart exactly, pseudonyms and all, and are dropped after retention. */
class ApprovalStoreTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  @TempDir
  Path dir;

  static PendingApproval approval(String id) {
    Subject subject = Subject.newBuilder().setType(SubjectType.ORGANISATION).setForm(IdentifierForm.KVK)
        .setPseudonym(ByteString.copyFrom(new byte[32])).build();
    PreparedQuestion q = new PreparedQuestion("q-" + id, "trace", T0, "riec", "a.analist", Set.of("analist"),
        "ondermijning", Optional.of("RIEC-2026-0042"), "zvo-midden", List.of(), List.of("belastingdienst"), subject,
        ByteString.copyFrom(new byte[] {1, 2, 3}), List.of("sequential-identifiers"));
    return new PendingApproval(id, q, List.of(new PendingApproval.RuleRef("belastingdienst", "R5")), T0.plus(Duration.ofDays(1)));
  }

  @Test
  void pendingAndDecidedApprovalsAreReplayedAfterAReopen() throws Exception {
    try (ApprovalStore store = ApprovalStore.open(dir, T0)) {
      store.add(approval("one"), new JsonObject().put("status", "pending-approval")).join();
      store.add(approval("two"), new JsonObject().put("status", "pending-approval")).join();
      assertThat(store.take("two")).isTrue();
      assertThat(store.take("two")).as("only one person decides").isFalse();
      store.finish("two", new ApprovalStore.Decided("reject", Optional.of("riec"), Optional.of("b.analist"), T0,
          new JsonObject().put("status", "refused"))).join();
    }

    try (ApprovalStore store = ApprovalStore.open(dir, T0.plusSeconds(60))) {
      ApprovalStore.Entry one = store.byQueryId("q-one").orElseThrow();
      assertThat(one.state()).isEqualTo(ApprovalStore.State.PENDING);
      assertThat(one.approval()).isEqualTo(approval("one"));
      ApprovalStore.Entry two = store.byApprovalId("two").orElseThrow();
      assertThat(two.state()).isEqualTo(ApprovalStore.State.REJECTED);
      assertThat(two.decided().orElseThrow().person()).hasValue("b.analist");
      assertThat(two.decided().orElseThrow().body().getString("status")).isEqualTo("refused");
      assertThat(store.pending()).extracting(e -> e.approval().approvalId()).containsExactly("one");
    }
  }

  @Test
  void aReleasedApprovalIsPendingAgain() throws Exception {
    try (ApprovalStore store = ApprovalStore.open(dir, T0)) {
      store.add(approval("one"), new JsonObject()).join();
      assertThat(store.take("one")).isTrue();
      store.release("one");
      assertThat(store.byApprovalId("one").orElseThrow().state()).isEqualTo(ApprovalStore.State.PENDING);
    }
  }

  @Test
  void approvalsAreDroppedOnceTheyOutliveTheRetention() throws Exception {
    try (ApprovalStore store = ApprovalStore.open(dir, T0)) {
      store.add(approval("one"), new JsonObject()).join();
    }

    try (ApprovalStore store = ApprovalStore.open(dir, T0.plus(ApprovalStore.RETENTION))) {
      assertThat(store.byApprovalId("one")).isEmpty();
    }
    assertThat(Files.readAllLines(dir.resolve(ApprovalStore.FILE))).isEmpty();
  }
}
