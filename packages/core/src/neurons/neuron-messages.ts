/**
 * User-facing messages of the Alpha, Lapicque and PSN neurons (kept beside them so tests can assert
 * them). Format: `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */
export const neuronMessages = {
  alphaDecays(where: string, alpha: number, beta: number): string {
    return (
      `${where}: the current decays must satisfy 0 < beta < alpha < 1, got alpha ${alpha}, beta ${beta}; expected e.g. alpha 0.9, beta 0.8 ` +
      `(u = tau_alpha*(e + i) with tau_alpha = log(alpha)/(log(beta) - log(alpha)) + 1 needs alpha > beta for a positive response). Swap or change the decays.`
    );
  },
  positive(where: string, what: string, got: unknown): string {
    return `${where}: ${what} must be a finite number > 0, got ${String(got)}; expected > 0. Pass a positive ${what}.`;
  },
  lapicqueLeak(where: string, dt: number, rc: number): string {
    return (
      `${where}: the time step must not exceed R*C, got timeStep ${dt} and R*C ${rc}; expected timeStep <= R*C ` +
      `(the Euler leak factor 1 - dt/(R*C) must stay in [0, 1)). Use a smaller timeStep or a larger resistance/capacitance.`
    );
  },
  lapicqueReset(where: string, got: unknown): string {
    return `${where}: reset must be "subtract" or "zero", got ${JSON.stringify(got)}; expected "subtract" (snnTorch's default) or "zero" (NIR LIF). Fix the reset option.`;
  },
  psnTimesteps(where: string, got: unknown): string {
    return (
      `${where}: a PSN needs the number of time steps T (its weight is [T, T]), got ${String(got)}; expected a positive integer. ` +
      `Pass timesteps (a generated model passes its own T).`
    );
  },
  psnSequence(where: string, got: number, expected: number): string {
    return (
      `${where}: the sequence has ${got} time steps, got T = ${got}; expected T = ${expected} (the PSN's weight is [${expected}, ${expected}]). ` +
      `Build the PSN with timesteps ${got}, or feed ${expected} steps.`
    );
  },
  psnStep(where: string): string {
    return (
      `${where}: a PSN is not iterative, got a single-step call; expected the whole sequence [T, N, ...] through forward(), ` +
      `since every output step depends on every input step (H = W·X + B with a dense [T, T] W). Call forward(x) instead of step(x).`
    );
  },
};
