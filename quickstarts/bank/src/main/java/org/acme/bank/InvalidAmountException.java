package org.acme.bank;

/**
 * An amount that is not a positive number of units, for a method that moves money. Thrown before anything changes, so
 * the call is recorded but leaves the accounts as they were (on replay too).
 */
public class InvalidAmountException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public InvalidAmountException(String parameter, String operation, long amount) {
        super("the " + parameter + " of a " + operation + " must be positive, not " + amount);
        this.parameter = parameter;
    }

    /**
     * @return the name of the parameter that holds the amount
     */
    public String parameter() {
        return parameter;
    }

    /**
     * @throws InvalidAmountException if {@code amount} is not positive
     */
    static void requirePositive(String parameter, String operation, long amount) {
        if (amount <= 0) {
            throw new InvalidAmountException(parameter, operation, amount);
        }
    }
}
