/* sweep.c: the shared coordinate-descent point loop (see sweep.h). */
#include "sweep.h"

#include "penalty.h"

#include <math.h>
#include <stdlib.h>

static int usable(const rp_sweep *s, size_t j) { return !s->pb->constant[j]; }

int rp_sweep_alloc(rp_sweep *s, const rp_problem *pb, double *beta, void *solver) {
  size_t p = pb->p;
  *s = (rp_sweep){.pb = pb, .beta = beta, .solver = solver};
  s->strong = calloc(p, 1);
  s->strong_list = malloc(p * sizeof *s->strong_list);
  s->entered = calloc(p, 1);
  s->active = malloc(p * sizeof *s->active);
  return s->strong && s->strong_list && s->entered && s->active;
}

void rp_sweep_free(rp_sweep *s) {
  free(s->strong);
  free(s->strong_list);
  free(s->entered);
  free(s->active);
}

void rp_sweep_make_strong(rp_sweep *s, size_t j) {
  s->strong[j] = 1;
  s->strong_list[s->n_strong++] = j;
}

void rp_sweep_enter(rp_sweep *s, size_t j) {
  s->entered[j] = 1;
  s->active[s->n_active++] = j;
}

size_t rp_sweep_screen(rp_sweep *s, const double *grad, double alpha, double alpha_prev) {
  size_t added = 0;
  for (size_t j = 0; j < s->pb->p; j++)
    if (usable(s, j) && !s->strong[j] && rp_strong_rule_keeps(s->pb, j, grad[j], alpha, alpha_prev))
      rp_sweep_make_strong(s, j), added++;
  return added;
}

size_t rp_sweep_add_kkt_violators(rp_sweep *s, const double *grad, double lam1) {
  size_t added = 0;
  for (size_t j = 0; j < s->pb->p; j++)
    if (usable(s, j) && !s->strong[j] && rp_kkt_violated(s->pb, j, grad[j], lam1))
      rp_sweep_make_strong(s, j), added++;
  return added;
}

size_t rp_sweep_add_unpenalized(rp_sweep *s) {
  size_t added = 0;
  for (size_t j = 0; j < s->pb->p; j++)
    if (usable(s, j) && s->pb->pf[j] == 0.0) rp_sweep_make_strong(s, j), added++;
  return added;
}

double rp_sweep_coordinate(rp_sweep *s, size_t j, double lam1, double lam2) {
  double xv = s->curvature(s->solver, j), old = s->beta[j];
  double u = s->gradient(s->solver, j) + xv * old;
  double b = rp_coordinate_minimizer(s->pb, j, u, xv, lam1, lam2);
  if (b == old) return 0.0;
  s->beta[j] = b;
  if (!s->entered[j]) rp_sweep_enter(s, j);
  s->move(s->solver, j, b - old);
  return xv * (b - old) * (b - old);
}

static double first_step(rp_sweep *s) { return s->first_step ? s->first_step(s->solver) : 0.0; }

double rp_sweep_strong(rp_sweep *s, double lam1, double lam2) {
  double dlx = first_step(s);
  for (size_t j = 0; j < s->pb->p; j++)
    if (s->strong[j]) dlx = fmax(dlx, rp_sweep_coordinate(s, j, lam1, lam2));
  return dlx;
}

double rp_sweep_active(rp_sweep *s, double lam1, double lam2) {
  double dlx = first_step(s);
  for (size_t a = 0; a < s->n_active; a++)
    dlx = fmax(dlx, rp_sweep_coordinate(s, s->active[a], lam1, lam2));
  return dlx;
}

int rp_sweep_to_threshold(rp_sweep *s, double lam1, double lam2, double thr, long budget,
                          long *sweeps) {
  *sweeps = 0;
  while (*sweeps < budget) {
    if (!s->settling) {
      ++*sweeps;
      if (rp_sweep_strong(s, lam1, lam2) < thr) return 1;
    }
    s->settling = 1;
    while (*sweeps < budget) {
      ++*sweeps;
      if (rp_sweep_active(s, lam1, lam2) < thr) {
        s->settling = 0;
        break;
      }
    }
  }
  return 0;
}
