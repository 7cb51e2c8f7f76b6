/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lb-annotation.h"
#include "lb-dicom.h"
#include "lb-view-transform.h"

G_BEGIN_DECLS

/*
 * An annotation set as a presentation state and back (docs/annotations.md):
 * one Graphic Annotation item and one Graphic Group per annotation (the
 * group's label is the annotation's label, its description records the
 * kind), measurements as text objects of the same group below the shape.
 */

/* The set as plain presentation-state data, ready for lb_dicom_pr_build(). */
LbPresentationState *lb_annotation_set_to_presentation_state   (LbAnnotationSet            *set);

/* A new set (with an empty history) from a parsed presentation state, ours
 * or another system's. Never fails on content it does not understand: such
 * objects are left out. */
LbAnnotationSet     *lb_annotation_set_new_from_presentation_state (const LbPresentationState *state);

/* Builds the Part-10 GSPS / CSPS for @image. */
GBytes              *lb_annotation_set_build_pr                 (LbAnnotationSet            *set,
                                                                 LbDicomObject              *image,
                                                                 const LbPrOptions          *options,
                                                                 char                      **out_sop_instance_uid,
                                                                 GError                    **error);
/* Parses a GSPS / CSPS into a new set. */
LbAnnotationSet     *lb_annotation_set_new_from_pr              (GBytes                     *bytes,
                                                                 GError                    **error);

/* The image's identity, size and Pixel Spacing, from the parsed image. */
void                 lb_annotation_set_set_image_from_dicom     (LbAnnotationSet            *set,
                                                                 LbDicomObject              *image);

/* The viewport's zoom/pan/rotation/flip as a displayed area (SCALE TO FIT of
 * the region visible) and back (fits that region into the viewport). */
void                 lb_annotation_view_from_transform          (const LbViewTransform      *t,
                                                                 LbAnnotationView           *view);
void                 lb_annotation_view_apply_to_transform      (const LbAnnotationView     *view,
                                                                 LbViewTransform            *t);

G_END_DECLS
