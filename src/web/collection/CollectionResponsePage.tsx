/** `/collecte/:campaignId/:uai`: a school's response to a campaign (being written). */
export function CollectionResponsePage() {
  return <h1>Réponse à la campagne</h1>;
}
