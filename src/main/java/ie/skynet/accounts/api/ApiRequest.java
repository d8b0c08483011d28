package ie.skynet.accounts.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.jspecify.annotations.Nullable;

/** A request body: one JSON object whose fields the route reads are strings. */
final class ApiRequest {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private final JsonNode body;

  private ApiRequest(JsonNode body) {
    this.body = body;
  }

  static ApiRequest parse(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw ApiFailure.badRequest(
          "the body is not valid JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
              + ": "
              + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiFailure.badRequest("the body must be a JSON object, such as {\"email\": \"...\"}");
    }
    return new ApiRequest(node);
  }

  /** A field that must be there, as a string. */
  String required(String name) {
    String value = optional(name);
    if (value == null) {
      throw ApiFailure.badRequest("missing field \"" + name + "\" (a string)");
    }
    return value;
  }

  /** A field that may be left out (or null), and is a string when given. */
  @Nullable String optional(String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiFailure.badRequest(
          "field \""
              + name
              + "\" must be a string, not "
              + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return value.textValue();
  }

  /** Exactly one of two fields, for routes that take either. */
  String either(String first, String second) {
    String a = optional(first);
    String b = optional(second);
    if ((a == null) == (b == null)) {
      throw ApiFailure.badRequest(
          "give one of \""
              + first
              + "\" or \""
              + second
              + "\" (a string), not "
              + (a == null ? "neither" : "both"));
    }
    return a != null ? a : b == null ? "" : b;
  }

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("API replies are maps of strings and lists", e);
    }
  }
}
