# gen_wide.awk: a wide synthetic regression data set as CSV, without numpy, for
# scripts/bench-plots.sh.  awk -v n=ROWS -v p=FEATURES [-v seed=S] -f gen_wide.awk
# Columns x1..xp are independent N(0,1) (Box-Muller on awk's rand()), then y =
# sum_{j<=20} b_j x_j + N(0, 1) with b_j = (-1)^j (1 + j/4): 20 true features of mixed
# sign and size, as in the shared generator, so a lasso path is sparse.
function gauss(   u, v) {
  if (have) { have = 0; return spare }
  do u = rand(); while (u == 0)
  v = rand()
  spare = sqrt(-2 * log(u)) * sin(6.283185307179586 * v)
  have = 1
  return sqrt(-2 * log(u)) * cos(6.283185307179586 * v)
}
BEGIN {
  if (!n || !p) { print "gen_wide.awk: set -v n=ROWS -v p=FEATURES" > "/dev/stderr"; exit 2 }
  srand(seed == "" ? 42 : seed)
  for (j = 1; j <= p; j++) printf "x%d,", j
  print "y"
  for (i = 1; i <= n; i++) {
    y = 0
    for (j = 1; j <= p; j++) {
      x = gauss()
      if (j <= 20) y += (j % 2 ? -1 : 1) * (1 + j / 4) * x
      printf "%.6f,", x
    }
    printf "%.6f\n", y + gauss()
  }
}
