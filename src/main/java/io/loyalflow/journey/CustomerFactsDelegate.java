package io.loyalflow.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.ReferralActivity;
import io.loyalflow.platform.engine.JourneyStartVariables;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * "Read customer facts" step ({@code ${customerFacts}}): writes, as small typed variables, what the
 * decision tables after it read: {@code hasEmail} / {@code hasPhone} (an address that is not
 * suppressed), {@code emailConsent} / {@code smsConsent} (opted in), {@code preferredChannel} (the
 * profile attribute of that name, EMAIL or SMS, else null), {@code referralActivity} (Active,
 * Dormant, or null without referral data) and {@code successfulReferrals} (the referral program's
 * statistics, 0 without). Read fresh at the step, since
 * consent and suppression change while a journey waits.
 */
@Component("customerFacts")
class CustomerFactsDelegate implements JavaDelegate {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JdbcTemplate jdbc;

  CustomerFactsDelegate(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String customerId = JourneyStartVariables.CUSTOMER_ID.from(execution).getOrNull();
    List<Map<String, Object>> rows = jdbc.queryForList("select c.attributes, "
        + "case when c.email is not null and se.address is null then true else false end has_email, "
        + "case when c.phone is not null and ss.address is null then true else false end has_phone, "
        + "coalesce(ce.status = 'OPTED_IN', false) email_consent, coalesce(cs.status = 'OPTED_IN', false) sms_consent, "
        + "r.activity, r.successful_referrals from customer c "
        + "left join customer_consent ce on ce.customer_key = c.customer_key and ce.channel = 'email' "
        + "left join customer_consent cs on cs.customer_key = c.customer_key and cs.channel = 'sms' "
        + "left join suppression se on se.channel = 'email' and se.address = lower(c.email) "
        + "left join suppression ss on ss.channel = 'sms' and ss.address = c.phone "
        + "left join customer_referral r on r.customer_key = c.customer_key where c.customer_id = ?", customerId);
    if (rows.isEmpty()) {
      throw new IllegalStateException("Step '" + execution.getCurrentActivityName() + "': no customer " + customerId
          + " (erased?)");
    }
    Map<String, Object> row = rows.get(0);
    JourneyVariables.HAS_EMAIL.on(execution).set((Boolean) row.get("has_email"));
    JourneyVariables.HAS_PHONE.on(execution).set((Boolean) row.get("has_phone"));
    JourneyVariables.EMAIL_CONSENT.on(execution).set((Boolean) row.get("email_consent"));
    JourneyVariables.SMS_CONSENT.on(execution).set((Boolean) row.get("sms_consent"));
    JourneyVariables.PREFERRED_CHANNEL.on(execution).set(preferredChannel((String) row.get("attributes")));
    // Stored upper-case (ACTIVE); decision tables and conditions compare the program's names (Active).
    String activity = (String) row.get("activity");
    JourneyVariables.REFERRAL_ACTIVITY.on(execution)
        .set(activity == null ? null : ReferralActivity.valueOf(activity).label());
    Object referrals = row.get("successful_referrals");
    JourneyVariables.SUCCESSFUL_REFERRALS.on(execution).set(referrals == null ? 0 : ((Number) referrals).intValue());
  }

  private static String preferredChannel(String attributes) {
    if (attributes == null) {
      return null;
    }
    try {
      JsonNode value = JSON.readTree(attributes).get("preferredChannel");
      if (value == null || !value.isTextual()) {
        return null;
      }
      String channel = value.asText().trim().toUpperCase(java.util.Locale.ROOT);
      return channel.equals("EMAIL") || channel.equals("SMS") ? channel : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
