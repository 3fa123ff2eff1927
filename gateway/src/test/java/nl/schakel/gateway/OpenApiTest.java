package nl.schakel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served OpenAPI document must match behaviour (API.md): every route is in it, and nothing more. */
class OpenApiTest {
  @TempDir
  Path dir;

  @Test
  void everyRouteTheGatewayServesIsDocumentedAndEveryDocumentedRouteIsServed() throws Exception {
    JsonNode paths;
    try (InputStream in = Gateway.class.getResourceAsStream("/openapi.yaml")) {
      paths = new ObjectMapper(new YAMLFactory()).readTree(in).get("paths");
    }
    Set<String> documented = new HashSet<>();
    paths.fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
      if (!m.equals("parameters")) {
        documented.add(m.toUpperCase() + " " + p.getKey());
      }
    }));

    List<String> served = new ArrayList<>();
    try (TestFederation fed = new TestFederation(dir, Map.of(), Duration.ofSeconds(1), null)) {
      for (Route route : fed.gateway.routes()) {
        String path = route.isRegexPath() ? route.getName() : route.getPath();
        if (path == null || !route.isExactPath() && !route.isRegexPath() || route.methods() == null) {
          continue; // "/v1/*": body, authentication and content-type checks in front of every route
        }
        for (HttpMethod method : route.methods()) {
          served.add(method.name() + " " + path.replaceAll("/:([A-Za-z]+)", "/{$1}"));
        }
      }
    }

    assertThat(served).contains("POST /v1/queries", "GET /v1/approvals", "POST /v1/approvals/{approvalId}");
    assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
  }
}
