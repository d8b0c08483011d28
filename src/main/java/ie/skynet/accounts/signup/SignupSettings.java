package ie.skynet.accounts.signup;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * @param joinUrl where a non-member can join the society (its Wolves page), and a lapsed one renew
 * @param tokenLifetime how long an emailed link works
 * @param listedUsernames the usernames the lifecycle lists name (admins, committee, lifetime):
 *     signup never hands one out, so no member can claim a right meant for someone else by taking a
 *     listed name before its owner has an account
 * @param whatNext what the done page and the welcome mail tell a new member to do
 * @param listUpdatePeriod how often the membership list is updated on a schedule (the Wolves sync);
 *     null when it has none (CSV imports run by hand), so mails promise no time for the next one
 */
public record SignupSettings(
    URI joinUrl,
    Duration tokenLifetime,
    String usernamePattern,
    java.util.Set<String> listedUsernames,
    WhatNext whatNext,
    @Nullable Duration listUpdatePeriod) {}
