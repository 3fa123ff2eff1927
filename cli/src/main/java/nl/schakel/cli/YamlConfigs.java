package nl.schakel.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The one place where configuration files are read. Unknown keys are errors (a typo must not
 * silently switch a safeguard off), and every error names the file, the line and the key.
 */
final class YamlConfigs {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .registerModule(new JavaTimeModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private YamlConfigs() {}

  /** A config file that could not be read, with a message fit for an operator. */
  static final class ConfigException extends Exception {
    ConfigException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static <T> T read(Path file, Class<T> type) throws ConfigException {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(file + ": no such file", null);
    }
    try {
      return YAML.readValue(file.toFile(), type);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(where(file, e) + "unknown key '" + e.getPropertyName() + "' at " + path(e)
          + "; expected one of " + e.getKnownPropertyIds(), e);
    } catch (JsonMappingException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      String message = root instanceof IllegalArgumentException || root instanceof NullPointerException
          ? root.getMessage() : e.getOriginalMessage();
      throw new ConfigException(where(file, e) + (path(e).isEmpty() ? "" : path(e) + ": ") + message, e);
    } catch (IOException e) {
      throw new ConfigException(file + ": " + e.getMessage(), e);
    }
  }


  private static String where(Path file, JsonMappingException e) {
    var loc = e.getLocation();
    return loc == null ? file + ": " : file + ":" + loc.getLineNr() + ":" + loc.getColumnNr() + ": ";
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }
}
