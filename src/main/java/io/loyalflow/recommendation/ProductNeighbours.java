package io.loyalflow.recommendation;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** A product's neighbours in one model version, as the refresh ranked them. */
@Service
class ProductNeighbours {

    private final JdbcTemplate jdbc;

    ProductNeighbours(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<RecommendationController.Neighbour> of(long version, String sku, String kind) {
        List<Object> args = new ArrayList<>(List.of(version, sku));
        String byKind = "";
        if (kind != null) {
            byKind = " and p.kind = ?";
            args.add(kind);
        }
        return jdbc.query(
                "select p.other_sku, p.kind, p.rank, p.score, p.support, rp.category, rp.price from reco_pair p "
                        + "left join reco_product rp on rp.model_version = p.model_version and rp.sku = p.other_sku "
                        + "where p.model_version = ? and p.sku = ?" + byKind + " order by p.kind, p.rank",
                (rs, row) -> new RecommendationController.Neighbour(
                        rs.getString("other_sku"),
                        rs.getString("kind"),
                        rs.getInt("rank"),
                        rs.getDouble("score"),
                        rs.getInt("support"),
                        rs.getString("category"),
                        rs.getBigDecimal("price")),
                args.toArray());
    }
}
