package io.loyalflow.experiment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The arms of an A/B split and their weights, as analysts write them in the Modeler: {@code A:50, B:50}
 * or {@code voucher:70, reminder:30}. A customer's arm is a pure function of the experiment key and
 * the customer id (a SHA-256 hash mapped onto the weights), so it is the same on every node and at
 * every re-entry, and the share of each arm converges to its weight.
 */
public final class Arms {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    private final Map<String, Integer> weights;
    private final int total;

    private Arms(Map<String, Integer> weights) {
        this.weights = weights;
        this.total = weights.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Parses {@code name:weight, name:weight, ...}; the message says what is wrong. */
    public static Arms parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no arms: write them as A:50, B:50");
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] nameAndWeight = part.trim().split(":", -1);
            if (nameAndWeight.length != 2) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not name:weight (e.g. A:50)");
            }
            String name = nameAndWeight[0].trim();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("arm name '" + name + "' must be 1 to 40 letters, digits, - or _");
            }
            int weight;
            try {
                weight = Integer.parseInt(nameAndWeight[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the weight of arm '" + name + "' must be a whole number, not '"
                        + nameAndWeight[1].trim() + "'");
            }
            if (weight < 0 || weight > 1_000_000) {
                throw new IllegalArgumentException("the weight of arm '" + name + "' must be between 0 and 1000000");
            }
            if (weights.put(name, weight) != null) {
                throw new IllegalArgumentException("arm '" + name + "' is named twice");
            }
        }
        if (weights.size() < 2) {
            throw new IllegalArgumentException("an A/B split needs at least two arms");
        }
        if (weights.values().stream().mapToInt(Integer::intValue).sum() == 0) {
            throw new IllegalArgumentException("at least one arm needs a weight above 0");
        }
        return new Arms(weights);
    }

    public List<String> names() {
        return new ArrayList<>(weights.keySet());
    }

    /** An arm's weight, 0 for an arm these weights do not name. */
    public int weight(String arm) {
        return weights.getOrDefault(arm, 0);
    }

    /** Whether these weights name the arm (open or closed). */
    public boolean has(String arm) {
        return weights.containsKey(arm);
    }

    /**
     * The weights once a winner is applied: the winner takes the weights of every other arm but the control
     * arm, which keeps its own; the others are closed. Unchanged when the winner is not an open arm.
     */
    Arms withWinner(String winner, String controlArm) {
        if (!isOpen(winner) || winner.equals(controlArm)) {
            return this;
        }
        Map<String, Integer> applied = new LinkedHashMap<>();
        int taken = 0;
        for (Map.Entry<String, Integer> arm : weights.entrySet()) {
            boolean keeps = arm.getKey().equals(controlArm);
            applied.put(arm.getKey(), keeps ? arm.getValue() : 0);
            taken += keeps ? 0 : arm.getValue();
        }
        applied.put(winner, taken);
        return new Arms(applied);
    }

    /** Whether customers can be assigned this arm now (it exists and its weight is above 0). */
    public boolean isOpen(String arm) {
        return weights.getOrDefault(arm, 0) > 0;
    }

    /** The arm of a customer in an experiment: the same answer for the same inputs, always. */
    public String assign(String experimentKey, String customerId) {
        double point = unitInterval(experimentKey + '\u0000' + customerId) * total;
        double upTo = 0;
        String last = null;
        for (Map.Entry<String, Integer> arm : weights.entrySet()) {
            if (arm.getValue() == 0) {
                continue;
            }
            upTo += arm.getValue();
            last = arm.getKey();
            if (point < upTo) {
                return arm.getKey();
            }
        }
        return last;
    }

    /** A uniform number in [0, 1) from the first 53 bits of the text's SHA-256. */
    static double unitInterval(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (digest[i] & 0xff);
            }
            return (bits >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return weights.toString();
    }
}
