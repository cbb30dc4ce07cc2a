package dev.dsqllocal.controlplane;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the operation for a method and raw (still percent-encoded) path, from the URIs of the service model.
 * The path is split on {@code /} before its segments are decoded, because labels such as a tag ARN arrive with
 * their own slashes encoded ({@code /tags/arn%3Aaws%3Adsql%3A...%3Acluster%2F<id>}).
 */
public final class ApiRouter {
    /** The operation and its decoded path labels. */
    public record Match(ServiceModel.Operation operation, Map<String, String> labels) {}

    private final List<ServiceModel.Operation> operations;

    public ApiRouter(ServiceModel model) {
        this.operations = List.copyOf(model.operations().values());
    }

    public Optional<Match> match(String method, String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String s : rawPath.split("/", -1)) {
            segments.add(s);
        }
        // A leading "/" gives an empty first segment; one trailing "/" is tolerated like AWS front ends do.
        if (!segments.isEmpty() && segments.get(0).isEmpty()) {
            segments.remove(0);
        }
        if (segments.size() > 1 && segments.get(segments.size() - 1).isEmpty()) {
            segments.remove(segments.size() - 1);
        }
        for (ServiceModel.Operation op : operations) {
            if (!op.method().equalsIgnoreCase(method) || op.uriSegments().size() != segments.size()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            boolean ok = true;
            for (int i = 0; i < segments.size() && ok; i++) {
                String template = op.uriSegments().get(i);
                String segment = segments.get(i);
                if (template.startsWith("{") && template.endsWith("}")) {
                    Optional<String> decoded = decode(segment);
                    if (segment.isEmpty() || decoded.isEmpty()) {
                        ok = false;
                    } else {
                        labels.put(template.substring(1, template.length() - 1), decoded.get());
                    }
                } else {
                    ok = template.equals(segment);
                }
            }
            if (ok) {
                return Optional.of(new Match(op, labels));
            }
        }
        return Optional.empty();
    }

    /** Percent-decodes one path segment; a literal '+' stays a '+' in paths. */
    static Optional<String> decode(String segment) {
        try {
            return Optional.of(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
