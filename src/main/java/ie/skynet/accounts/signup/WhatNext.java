package ie.skynet.accounts.signup;

/**
 * What a new member does with their account, which the signup done page and the welcome mail both
 * say: which host to log in to (with {@code ssh USER@host}) and where the society's services and
 * help are.
 *
 * @param loginHost the society's server members log in to
 * @param servicesUrl the page listing the society's services and how to get help
 */
public record WhatNext(String loginHost, String servicesUrl) {}
