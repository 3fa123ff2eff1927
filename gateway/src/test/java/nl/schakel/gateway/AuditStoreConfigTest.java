package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditStoreConfigTest {
  private static final GatewayConfig.Pki PKI = new GatewayConfig.Pki(Path.of("pki"), Path.of("ca.pem"));
  private static final GatewayConfig.AuditPostgres PG = new GatewayConfig.AuditPostgres(
      "jdbc:postgresql://db/schakel", "gateway", Optional.of("SCHAKEL_DB_PASSWORD"), Optional.empty(), "schakel_audit");

  private static GatewayConfig yaml(Path auditLog, GatewayConfig.AuditPostgres pg, Path stateDir) {
    return GatewayConfig.fromYaml("midden", new GatewayConfig.Listen("127.0.0.1", 0), null, List.of(),
        List.of(Path.of("c.yaml")), Path.of("keys"), Path.of("m.key"), Path.of("a.key"), auditLog, pg, List.of(),
        stateDir, PKI, null, null);
  }

  @Test
  void usesTheFileStoreUnlessPostgresIsConfigured() {
    assertThat(yaml(Path.of("run/audit"), null, null).auditPostgres()).isEmpty();
    assertThat(yaml(null, PG, Path.of("run/state")).auditPostgres()).contains(PG);
  }

  @Test
  void refusesBothStoresOrNeither() {
    assertThatThrownBy(() -> yaml(Path.of("run/audit"), PG, Path.of("s")))
        .hasMessageContaining("exactly one of audit-log").hasMessageContaining("audit-postgres");
    assertThatThrownBy(() -> yaml(null, null, Path.of("s"))).hasMessageContaining("exactly one of audit-log");
  }

  @Test
  void postgresNeedsAnExplicitStateDirectory() {
    assertThatThrownBy(() -> yaml(null, PG, null)).hasMessageContaining("state-dir is required with audit-postgres");
  }

  @Test
  void neverTakesAPasswordFromTheConfigAndNeverShowsOne() {
    assertThatThrownBy(() -> new GatewayConfig.AuditPostgres("jdbc:postgresql://db/s?password=hunter2", "g",
        Optional.of("E"), Optional.empty(), "schakel_audit"))
        .hasMessageContaining("must not hold a password").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> new GatewayConfig.AuditPostgres("jdbc:postgresql://db/s", "g", Optional.empty(),
        Optional.empty(), "schakel_audit")).hasMessageContaining("exactly one of password-env or password-file");
    assertThatThrownBy(() -> PG.password(name -> null))
        .hasMessageContaining("environment variable SCHAKEL_DB_PASSWORD is not set");
    assertThat(PG.toString()).doesNotContain("SCHAKEL_DB_PASSWORD=");
  }

  @Test
  void refusesATableNameThatIsNotAPlainSqlName() {
    assertThatThrownBy(() -> new GatewayConfig.AuditPostgres("jdbc:postgresql://db/s", "g", Optional.of("E"),
        Optional.empty(), "audit; drop table x")).hasMessageContaining("log-name must be a lower-case SQL name");
  }
}
