package ie.skynet.accounts.membership;

import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/** One Wolves membership, as stored in {@code accounts_wolves}. IDs are text: zeros matter. */
public record Member(
    String idWolves,
    @Nullable String idStudent,
    String email,
    LocalDate expiry,
    @Nullable String nameFirst,
    @Nullable String nameSecond) {}
