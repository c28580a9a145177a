package io.loyalflow.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The demo shop's rules, without a running service: CDNOW has purchases only, no carts and no new customers, so
 * the simulator invents them. A cart's whole life (its customer, whether it starts anonymous, its updates, its
 * end) and a newcomer's profile and first order depend only on the seed and the cart's or newcomer's id: the
 * same seed gives the same shop.
 *
 * <p>Products are CDNOW-like compact discs ({@code CD #1234}, $9.99 to $17.99) in the demo's categories, with
 * product and image links on {@code shop.example.com}.
 */
final class DemoShop {

    /** The demo catalogue's categories, as the welcome programme's advice table knows them. */
    static final List<String> CATEGORIES = List.of("Rock", "Pop", "Jazz", "Classical", "Country", "Soundtracks");

    static final String SHOP = "https://shop.example.com";
    static final String CART_PREFIX = "demo-cart-";
    static final String NEWCOMER_PREFIX = "demo-new-";
    private static final int CATALOGUE = 5_000;

    /** One CD of the demo catalogue. */
    record Product(
            String sku, String name, String category, BigDecimal unitPrice, String productUrl, String imageUrl) {}

    /** A cart line. */
    record Line(Product product, int quantity) {

        BigDecimal total() {
            return product.unitPrice().multiply(BigDecimal.valueOf(quantity));
        }
    }

    /** What the shop sends about a cart, {@code after} its first update. */
    enum Kind {
        /** {@code PUT /api/carts/{id}}: the cart's items now (and its customer, once known) */
        UPDATE,
        /** {@code POST /api/carts/{id}/cleared} */
        CLEAR,
        /** {@code POST /api/carts/{id}/checkout-started} */
        CHECKOUT,
        /** the order placed from the cart, naming it ({@code POST /api/orders} with {@code cartId}) */
        ORDER
    }

    /** How a cart ends. */
    enum Outcome {
        /** left with items: the abandoned-cart journey reminds its customer */
        ABANDONED,
        /** emptied (an empty update or the cleared call) */
        CLEARED,
        /** checked out and ordered */
        ORDERED
    }

    /**
     * One call of the shop about a cart.
     *
     * @param customerId the customer it names, null while the visitor is anonymous
     * @param lines the cart's lines after it (UPDATE, ORDER), empty for a cleared cart
     */
    record Step(Duration after, Kind kind, String customerId, List<Line> lines) {}

    /** A cart's life: every call the shop makes about it, in order. */
    record Script(String cartId, String customerId, boolean anonymousFirst, Outcome outcome, List<Step> steps) {

        String cartUrl() {
            return SHOP + "/cart/" + cartId;
        }
    }

    /** A new customer: a fictional contact opted in to e-mail and a first order of 1 to 3 CDs. */
    record Newcomer(String customerId, DemoContacts.Contact contact, List<Line> firstOrder) {}

    private final long seed;
    private final DemoProperties.Carts rates;

    DemoShop(long seed, DemoProperties.Carts rates) {
        this.seed = seed;
        this.rates = rates;
    }

    /** CD number {@code number} of the catalogue: its category, price and links depend on the number only. */
    static Product product(int number) {
        SplittableRandom random = new SplittableRandom(0x5EEDL * 1_000_003L + number);
        String sku = String.format(Locale.ROOT, "cd-%04d", number);
        String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
        BigDecimal price = BigDecimal.valueOf(999 + 100L * random.nextInt(9), 2);
        return new Product(
                sku, "CD #" + number, category, price, SHOP + "/products/" + sku, SHOP + "/images/" + sku + ".jpg");
    }

    /**
     * The life of cart {@code cartId} of one of the first {@code customers} demo customers: 1 to
     * {@code maxUpdates} updates over {@code span} (a line added, a quantity changed, a line removed), a share
     * starting anonymous and naming the customer at a later update (a login), then cleared, checked out and
     * ordered, or abandoned, at the configured shares.
     */
    Script cart(String cartId, int customers) {
        SplittableRandom random = new SplittableRandom(seed * 0x2545F4914F6CDD1DL + cartId.hashCode());
        String customerId = String.format(
                Locale.ROOT, "%s%05d", CdnowOrderSource.CUSTOMER_PREFIX, 1 + random.nextInt(Math.max(1, customers)));
        int updates = 1 + random.nextInt(Math.max(1, rates.maxUpdates()));
        // an anonymous visitor needs a second update to log in at
        boolean anonymous = random.nextDouble() < rates.anonymousShare();
        if (anonymous && updates < 2) {
            updates = 2;
        }
        int loginAt = anonymous ? 1 + random.nextInt(updates - 1) : 0;
        double end = random.nextDouble();
        Outcome outcome = end < rates.clearedShare()
                ? Outcome.CLEARED
                : end < rates.clearedShare() + rates.orderedShare() ? Outcome.ORDERED : Outcome.ABANDONED;

        long spanMillis = Math.max(1, rates.span().toMillis());
        List<Long> offsets = new ArrayList<>();
        offsets.add(0L);
        for (int i = 1; i < updates; i++) {
            offsets.add(1 + random.nextLong(spanMillis));
        }
        offsets.sort(Comparator.naturalOrder());
        List<Step> steps = new ArrayList<>();
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < updates; i++) {
            change(lines, random, i == 0);
            steps.add(new Step(
                    Duration.ofMillis(offsets.get(i)),
                    Kind.UPDATE,
                    i < loginAt ? null : customerId,
                    List.copyOf(lines)));
        }
        Duration last = steps.get(steps.size() - 1).after();
        Duration then = last.plusMillis(1_000 + random.nextLong(Math.max(1, spanMillis / 2)));
        switch (outcome) {
            case CLEARED ->
                steps.add(
                        random.nextBoolean()
                                ? new Step(then, Kind.UPDATE, customerId, List.of())
                                : new Step(then, Kind.CLEAR, customerId, List.of()));
            case ORDERED -> {
                steps.add(new Step(then, Kind.CHECKOUT, customerId, List.copyOf(lines)));
                steps.add(
                        new Step(then.plusSeconds(5 + random.nextInt(20)), Kind.ORDER, customerId, List.copyOf(lines)));
            }
            case ABANDONED -> {}
        }
        return new Script(cartId, customerId, anonymous, outcome, List.copyOf(steps));
    }

    /** One click in the shop: the first adds 1 to 3 CDs; later ones add a CD, change a quantity or remove a line. */
    private static void change(List<Line> lines, SplittableRandom random, boolean first) {
        if (first) {
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                add(lines, random);
            }
            return;
        }
        int what = random.nextInt(10);
        if (what < 5 || lines.size() < 2) {
            add(lines, random);
        } else if (what < 8) {
            int index = random.nextInt(lines.size());
            Line line = lines.get(index);
            lines.set(index, new Line(line.product(), line.quantity() == 1 ? 2 : line.quantity() - 1));
        } else {
            lines.remove(random.nextInt(lines.size()));
        }
    }

    private static void add(List<Line> lines, SplittableRandom random) {
        Product product = product(1 + random.nextInt(CATALOGUE));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).product().sku().equals(product.sku())) {
                lines.set(i, new Line(product, lines.get(i).quantity() + 1));
                return;
            }
        }
        lines.add(new Line(product, 1));
    }

    /**
     * Newcomer {@code number} (a count over the demo's life; its id {@code demo-new-<number>}): a fictional contact
     * opted in to e-mail, and a first order of 1 to 3 CDs.
     */
    Newcomer newcomer(long number, DemoContacts contacts) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 7_000_001L * number);
        String customerId = NEWCOMER_PREFIX + number;
        List<Line> lines = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            add(lines, random);
        }
        return new Newcomer(customerId, contacts.newcomer(number), List.copyOf(lines));
    }

    /** The order's amount: its lines' totals. */
    static BigDecimal amount(List<Line> lines) {
        return lines.stream()
                .map(Line::total)
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.HALF_UP);
    }
}
