package io.loyalflow.clv;

import org.hipparchus.random.RandomDataGenerator;

/**
 * Customers drawn from known BG/NBD and Gamma-Gamma parameters, for checking that the fits recover
 * them, for benchmarks and for demos. Each customer:
 * <ul>
 *   <li>first buys at time 0 and is observed for T, uniform between minAge and maxAge;</li>
 *   <li>buys again as a Poisson process with rate λ ~ Gamma(shape r, scale 1/α), and after each repeat
 *     purchase drops out for good with probability p ~ Beta(a, b);</li>
 *   <li>spends Gamma(shape p, scale 1/ν) on each purchase, ν ~ Gamma(shape q, scale 1/v).</li>
 * </ul>
 * With wholeDays the first purchases fall on whole days (T is a whole number of days, in weeks) and
 * every purchase is dated to its day and merged with others of the same day, as real order data are
 * summarised (TransactionLog): the time unit is a week of 7 days. Without it, times are exact and the
 * data follow the models exactly. The same seed gives the same customers.
 */
public record SyntheticCustomers(BgNbd purchases, GammaGamma spend, double minAge, double maxAge, boolean wholeDays) {

    private static final double DAYS_PER_WEEK = 7;

    public SyntheticCustomers {
        if (!(minAge >= 0) || !(maxAge >= minAge) || !Double.isFinite(maxAge)) {
            throw new IllegalArgumentException("need 0 <= minAge <= maxAge, got " + minAge + " and " + maxAge);
        }
        if (wholeDays && Math.floor(maxAge * DAYS_PER_WEEK) < Math.ceil(minAge * DAYS_PER_WEEK)) {
            throw new IllegalArgumentException("no whole day between minAge and maxAge");
        }
    }

    public CustomerSummaries draw(int customers, long seed) {
        if (customers < 0) {
            throw new IllegalArgumentException("customers must be 0 or more");
        }
        RandomDataGenerator random = new RandomDataGenerator(seed);
        int[] x = new int[customers];
        double[] tx = new double[customers];
        double[] T = new double[customers];
        double[] m = new double[customers];
        long firstDay = (long) Math.ceil(minAge * DAYS_PER_WEEK);
        long lastDay = (long) Math.floor(maxAge * DAYS_PER_WEEK);
        for (int i = 0; i < customers; i++) {
            double age = wholeDays
                    ? (firstDay == lastDay ? firstDay : random.nextLong(firstDay, lastDay)) / DAYS_PER_WEEK
                    : minAge + (maxAge - minAge) * random.nextDouble();
            double rate = random.nextGamma(purchases.r(), 1 / purchases.alpha());
            double dropout = random.nextBeta(purchases.a(), purchases.b());
            double spendRate = random.nextGamma(spend.q(), 1 / spend.v());
            int repeat = 0;
            double last = 0;
            double repeatSpend = 0;
            double time = 0;
            long lastPurchaseDay = 0;
            while (rate > 0) {
                time += random.nextExponential(1 / rate);
                if (time > age) {
                    break;
                }
                double value = random.nextGamma(spend.p(), 1 / spendRate);
                if (wholeDays) {
                    long day = (long) Math.floor(time * DAYS_PER_WEEK);
                    if (day > lastPurchaseDay) {
                        repeat++;
                        last = day / DAYS_PER_WEEK;
                        lastPurchaseDay = day;
                    }
                    if (day > 0) {
                        repeatSpend += value; // a purchase on the first day adds to the first purchase, not counted
                    }
                } else {
                    repeat++;
                    last = time;
                    repeatSpend += value;
                }
                if (random.nextDouble() < dropout) {
                    break;
                }
            }
            x[i] = repeat;
            tx[i] = repeat == 0 ? 0 : last;
            T[i] = age;
            m[i] = repeat == 0 ? 0 : repeatSpend / repeat;
        }
        return CustomerSummaries.of(x, tx, T, m);
    }
}
