package io.loyalflow.recommendation;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A generated shop whose baskets hide what an item-to-item model should find, for measuring recommendations:
 * products in categories with rising prices, popularity skewed by a Zipf law, bundles of three products that
 * customers buy together or one after another, and upgrades to a dearer product of the same category bought
 * weeks after the cheaper one. Deterministic for a seed. The orders are split by time: what customers bought
 * from {@link Parameters#split()} on is held out, to be predicted from what they bought before.
 */
final class PlantedBaskets {

    /**
     * @param customers how many customers
     * @param categories how many categories
     * @param productsPerCategory products per category; product i of a category costs 10 + 5 i
     * @param zipfExponent popularity of the random purchases: the product of rank r is drawn with weight 1/r^s
     * @param bundles how many bundles of three products (drawn uniformly over all products)
     * @param bundlesPerCustomer each customer's favourite bundles
     * @param bundleShare the share of orders that take two products of one of the customer's bundles
     * @param upgradeStep an upgrade is the product this many places dearer in the same category
     * @param upgradeShare the chance that a purchase is followed by its upgrade 20 to 60 days later
     * @param minOrders fewest orders per customer (besides upgrades)
     * @param maxOrders most orders per customer (besides upgrades)
     * @param start the first order's earliest time
     * @param split the start of the held-out period
     * @param end the end of the held-out period
     * @param seed the random generator's seed
     */
    record Parameters(
            int customers,
            int categories,
            int productsPerCategory,
            double zipfExponent,
            int bundles,
            int bundlesPerCustomer,
            double bundleShare,
            int upgradeStep,
            double upgradeShare,
            int minOrders,
            int maxOrders,
            Instant start,
            Instant split,
            Instant end,
            long seed) {}

    record Line(String sku, String category, BigDecimal unitPrice) {}

    record Order(String orderId, String customerId, Instant placedAt, List<Line> lines) {}

    final Parameters parameters;
    final List<Order> orders = new ArrayList<>();

    private final String suffix;
    private final Random random;
    private final double[] cumulative;
    private final int[] byRank;

    PlantedBaskets(Parameters parameters, String suffix) {
        this.parameters = parameters;
        this.suffix = suffix;
        this.random = new Random(parameters.seed());
        int products = parameters.categories() * parameters.productsPerCategory();
        byRank = new int[products];
        List<Integer> shuffled = new ArrayList<>();
        for (int p = 0; p < products; p++) {
            shuffled.add(p);
        }
        java.util.Collections.shuffle(shuffled, random);
        cumulative = new double[products];
        double total = 0;
        for (int rank = 0; rank < products; rank++) {
            byRank[rank] = shuffled.get(rank);
            total += 1 / Math.pow(rank + 1, parameters.zipfExponent());
            cumulative[rank] = total;
        }
        for (int rank = 0; rank < products; rank++) {
            cumulative[rank] /= total;
        }
        int[][] bundles = new int[parameters.bundles()][3];
        for (int[] bundle : bundles) {
            Set<Integer> members = new LinkedHashSet<>();
            while (members.size() < 3) {
                members.add(random.nextInt(products));
            }
            int i = 0;
            for (int member : members) {
                bundle[i++] = member;
            }
        }
        long span = Duration.between(parameters.start(), parameters.end()).toSeconds();
        for (int c = 0; c < parameters.customers(); c++) {
            String customerId = "planted-" + c + "-" + suffix;
            int[][] favourites = new int[parameters.bundlesPerCustomer()][];
            for (int f = 0; f < favourites.length; f++) {
                favourites[f] = bundles[random.nextInt(bundles.length)];
            }
            int count = parameters.minOrders() + random.nextInt(parameters.maxOrders() - parameters.minOrders() + 1);
            List<Instant> times = new ArrayList<>();
            for (int o = 0; o < count; o++) {
                times.add(parameters.start().plusSeconds((long) (random.nextDouble() * span)));
            }
            times.sort(Comparator.naturalOrder());
            Map<Instant, Set<Integer>> basketsAt = new HashMap<>();
            List<Instant> upgrades = new ArrayList<>();
            for (Instant at : times) {
                Set<Integer> basket = new LinkedHashSet<>();
                if (random.nextDouble() < parameters.bundleShare()) {
                    int[] bundle = favourites[random.nextInt(favourites.length)];
                    int skip = random.nextInt(3);
                    for (int i = 0; i < 3; i++) {
                        if (i != skip) {
                            basket.add(bundle[i]);
                        }
                    }
                    if (random.nextBoolean()) {
                        basket.add(popular());
                    }
                } else {
                    int n = 1 + random.nextInt(2);
                    while (basket.size() < n) {
                        basket.add(popular());
                    }
                }
                basketsAt.put(at, basket);
                for (int product : basket) {
                    int place = product % parameters.productsPerCategory();
                    if (place + parameters.upgradeStep() < parameters.productsPerCategory()
                            && random.nextDouble() < parameters.upgradeShare()) {
                        Instant later = at.plus(Duration.ofDays(20 + random.nextInt(41)));
                        if (later.isBefore(parameters.end())) {
                            basketsAt.put(later, Set.of(product + parameters.upgradeStep()));
                            upgrades.add(later);
                        }
                    }
                }
            }
            int o = 0;
            List<Instant> all = new ArrayList<>(basketsAt.keySet());
            all.sort(Comparator.naturalOrder());
            for (Instant at : all) {
                List<Line> lines = new ArrayList<>();
                for (int product : basketsAt.get(at)) {
                    lines.add(line(product));
                }
                orders.add(new Order("planted-" + c + "-" + (o++) + "-" + suffix, customerId, at, lines));
            }
        }
    }

    private int popular() {
        double u = random.nextDouble();
        int rank = java.util.Arrays.binarySearch(cumulative, u);
        rank = rank >= 0 ? rank : Math.min(-rank - 1, cumulative.length - 1);
        return byRank[rank];
    }

    private Line line(int product) {
        int category = product / parameters.productsPerCategory();
        int place = product % parameters.productsPerCategory();
        return new Line(
                "P" + product + "-" + suffix,
                "C" + category + "-" + suffix,
                BigDecimal.valueOf(10 + 5L * place).setScale(2));
    }

    /** What each customer bought before the split. */
    Map<String, Set<String>> training() {
        Map<String, Set<String>> bought = new HashMap<>();
        for (Order order : orders) {
            if (order.placedAt().isBefore(parameters.split())) {
                order.lines()
                        .forEach(l -> bought.computeIfAbsent(order.customerId(), c -> new HashSet<>())
                                .add(l.sku()));
            }
        }
        return bought;
    }

    /** What each customer bought from the split on and had not bought before: what recommendations should name. */
    Map<String, Set<String>> heldOut() {
        Map<String, Set<String>> before = training();
        Map<String, Set<String>> after = new HashMap<>();
        for (Order order : orders) {
            if (!order.placedAt().isBefore(parameters.split()) && before.containsKey(order.customerId())) {
                for (Line l : order.lines()) {
                    if (!before.get(order.customerId()).contains(l.sku())) {
                        after.computeIfAbsent(order.customerId(), c -> new HashSet<>())
                                .add(l.sku());
                    }
                }
            }
        }
        return after;
    }
}
