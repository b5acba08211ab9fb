// The body map: a click on an outline marks that exact point (view, x, y); Enter or Space on a
// part of the body chooses it from the list (marked at its middle). Without this script the list
// alone does the same, so the page works without JavaScript.
const form = document.querySelector('.app-body-map__form')
if (form) {
  const place = form.querySelector('[name="mark-place"]')
  const view = form.querySelector('[name="mark-view"]')
  const x = form.querySelector('[name="mark-x"]')
  const y = form.querySelector('[name="mark-y"]')
  const chosen = form.querySelector('.app-body-map__chosen')
  const pendings = document.querySelectorAll('.app-body-map__pending')

  const hidePending = () => pendings.forEach((pending) => pending.setAttribute('visibility', 'hidden'))
  const say = (text) => { chosen.textContent = text }
  const labelOf = (polygon) => polygon ? polygon.getAttribute('aria-label') : 'not on the body outline'

  document.querySelectorAll('.app-body-map__svg').forEach((svg) => {
    svg.addEventListener('click', (event) => {
      const point = svg.createSVGPoint()
      point.x = event.clientX
      point.y = event.clientY
      const local = point.matrixTransform(svg.getScreenCTM().inverse())
      const polygon = event.target.closest('polygon')
      view.value = svg.dataset.view
      x.value = Math.round(local.x)
      y.value = Math.round(local.y)
      place.value = polygon ? polygon.dataset.place : ''
      hidePending()
      const pending = svg.querySelector('.app-body-map__pending')
      pending.setAttribute('cx', x.value)
      pending.setAttribute('cy', y.value)
      pending.setAttribute('visibility', 'visible')
      say(`Place marked: ${labelOf(polygon)}. Add what you saw, then Add mark.`)
    })
    svg.querySelectorAll('polygon').forEach((polygon) => {
      polygon.addEventListener('keydown', (event) => {
        if (event.key !== 'Enter' && event.key !== ' ') return
        event.preventDefault()
        place.value = polygon.dataset.place
        view.value = x.value = y.value = ''
        hidePending()
        say(`Chosen: ${labelOf(polygon)}. Add what you saw, then Add mark.`)
        form.querySelector('[name="mark-note"]').focus()
      })
    })
  })
  // Choosing from the list replaces a clicked point.
  place.addEventListener('change', () => {
    view.value = x.value = y.value = ''
    hidePending()
  })
}
