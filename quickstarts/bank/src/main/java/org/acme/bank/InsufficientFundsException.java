package org.acme.bank;

public class InsufficientFundsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InsufficientFundsException(String account, long balance, long amount) {
        super("account " + account + " holds " + balance + ", cannot withdraw " + amount);
    }
}
