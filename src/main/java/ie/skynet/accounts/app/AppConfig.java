package ie.skynet.accounts.app;

import ie.skynet.accounts.db.DatabaseSettings;
import ie.skynet.accounts.membership.ImportSettings;
import ie.skynet.accounts.outbox.SmtpSettings;

/** The whole validated configuration, one record per part of the system. */
public record AppConfig(
    String logLevel, DatabaseSettings database, ImportSettings imports, SmtpSettings smtp) {}
